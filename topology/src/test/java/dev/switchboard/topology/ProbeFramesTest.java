package dev.switchboard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.packet.EthernetFrames;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProbeFramesTest {
    private static final ProbeAuthenticator KEY = new ProbeAuthenticator(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    private static final long DPID = 0x8000_0000_0000_00ffL; // high bit set: all 64 bits must survive
    private static final int PORT = 0xffff_fe00; // beyond 16 bits, below OFPort.MAX

    @Test
    void lldpProbeHasTheStandardHeaderAndTlvsAndReadsBack() {
        byte[] frame = ProbeFrames.build(false, 0x0200_0000_0001L, DPID, PORT, KEY);

        assertThat(frame).hasSize(66);
        assertThat(EthernetFrames.destination(frame)).isEqualTo(0x0180_c200_000eL);
        assertThat(EthernetFrames.source(frame)).isEqualTo(0x0200_0000_0001L);
        assertThat(EthernetFrames.etherType(frame)).isEqualTo(EthernetFrames.TYPE_LLDP);
        // chassis id TLV: type 1, length 7, subtype MAC, the low 48 bits of the dpid
        assertThat(EthernetFrames.u16(frame, 14)).isEqualTo((1 << 9) | 7);
        assertThat(frame[16]).isEqualTo((byte) 4);
        assertThat(EthernetFrames.mac(frame, 17)).isEqualTo(DPID & 0xFFFF_FFFF_FFFFL);
        // port id TLV: type 2, length 5, subtype locally assigned, the 32-bit port number
        assertThat(EthernetFrames.u16(frame, 23)).isEqualTo((2 << 9) | 5);
        assertThat(EthernetFrames.u32(frame, 26)).isEqualTo(PORT);
        // TTL TLV: type 3, length 2
        assertThat(EthernetFrames.u16(frame, 30)).isEqualTo((3 << 9) | 2);
        // organisation TLV: type 127, length 28 (OUI, subtype, dpid, 16-byte authenticator)
        assertThat(EthernetFrames.u16(frame, 34)).isEqualTo((127 << 9) | 28);
        // end TLV
        assertThat(EthernetFrames.u16(frame, 64)).isZero();

        assertThat(ProbeFrames.parse(frame, KEY)).isEqualTo(new ProbeFrames.Origin(DPID, PORT));
    }

    @Test
    void bddpProbeIsBroadcastWithItsOwnEtherTypeAndTheSamePayload() {
        byte[] lldp = ProbeFrames.build(false, 1, DPID, PORT, KEY);
        byte[] bddp = ProbeFrames.build(true, 1, DPID, PORT, KEY);

        assertThat(EthernetFrames.destination(bddp)).isEqualTo(EthernetFrames.BROADCAST);
        assertThat(EthernetFrames.etherType(bddp)).isEqualTo(EthernetFrames.TYPE_BDDP);
        assertThat(Arrays.copyOfRange(bddp, 14, 66)).isEqualTo(Arrays.copyOfRange(lldp, 14, 66));
        assertThat(ProbeFrames.parse(bddp, KEY)).isEqualTo(new ProbeFrames.Origin(DPID, PORT));
    }

    @Test
    void probesOfAnotherRunOrWithoutOurTlvAreNotOurs() {
        byte[] otherRun = ProbeFrames.build(false, 1, DPID, PORT, ProbeAuthenticator.withRandomKey());
        byte[] foreign = ProbeFrames.build(false, 1, DPID, PORT, KEY);
        foreign[34 + 2 + 3] = 0x01; // another organisation subtype (e.g. Floodlight's dpid TLV)

        assertThat(ProbeFrames.parse(otherRun, KEY)).isNull();
        assertThat(ProbeFrames.parse(foreign, KEY)).isNull();
    }

    @Test
    void truncatedOrGarbledProbesAreNotOursAndDoNotThrow() {
        byte[] frame = ProbeFrames.build(false, 1, DPID, PORT, KEY);
        for (int length = 14; length < 64; length++) {
            assertThat(ProbeFrames.parse(Arrays.copyOf(frame, length), KEY)).isNull();
        }
        byte[] garbled = frame.clone();
        garbled[34] = (byte) 0xFF; // organisation TLV claims 511 bytes
        assertThat(ProbeFrames.parse(garbled, KEY)).isNull();
    }

    @Test
    void aProbeEditedToNameAnotherPortOrSwitchDoesNotVerify() {
        // What a host sees: the probe of the port it sits on. It can copy everything in it.
        byte[] seen = ProbeFrames.build(false, 1, DPID, PORT, KEY);
        byte[] otherPort = seen.clone();
        otherPort[29] ^= 0x01; // port id TLV: the port number's low byte
        byte[] otherSwitch = seen.clone();
        otherSwitch[34 + 2 + 4 + 7] ^= 0x01; // organisation TLV: the datapath id's low byte
        byte[] otherAuthenticator = seen.clone();
        otherAuthenticator[34 + 2 + 12] ^= 0x01;

        assertThat(ProbeFrames.parse(seen, KEY)).isEqualTo(new ProbeFrames.Origin(DPID, PORT));
        assertThat(ProbeFrames.parse(otherPort, KEY)).isNull();
        assertThat(ProbeFrames.parse(otherSwitch, KEY)).isNull();
        assertThat(ProbeFrames.parse(otherAuthenticator, KEY)).isNull();
    }

    @Test
    void theAuthenticatorIsNotTheSameForEveryPort() {
        byte[] one = ProbeFrames.build(false, 1, DPID, 1, KEY);
        byte[] two = ProbeFrames.build(false, 1, DPID, 2, KEY);

        assertThat(Arrays.copyOfRange(one, 48, 64)).isNotEqualTo(Arrays.copyOfRange(two, 48, 64));
    }
}
