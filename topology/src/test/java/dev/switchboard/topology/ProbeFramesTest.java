package dev.switchboard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.packet.EthernetFrames;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProbeFramesTest {
    private static final long NONCE = 0x1234_5678_9abc_def0L;
    private static final long DPID = 0x8000_0000_0000_00ffL; // high bit set: all 64 bits must survive
    private static final int PORT = 0xffff_fe00; // beyond 16 bits, below OFPort.MAX

    @Test
    void lldpProbeHasTheStandardHeaderAndTlvsAndReadsBack() {
        byte[] frame = ProbeFrames.build(false, 0x0200_0000_0001L, DPID, PORT, NONCE);

        assertThat(frame).hasSize(60);
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
        // organisation TLV: type 127, length 20
        assertThat(EthernetFrames.u16(frame, 34)).isEqualTo((127 << 9) | 20);
        // end TLV
        assertThat(EthernetFrames.u16(frame, 56)).isZero();

        assertThat(ProbeFrames.parse(frame, NONCE)).isEqualTo(new ProbeFrames.Origin(DPID, PORT));
    }

    @Test
    void bddpProbeIsBroadcastWithItsOwnEtherTypeAndTheSamePayload() {
        byte[] lldp = ProbeFrames.build(false, 1, DPID, PORT, NONCE);
        byte[] bddp = ProbeFrames.build(true, 1, DPID, PORT, NONCE);

        assertThat(EthernetFrames.destination(bddp)).isEqualTo(EthernetFrames.BROADCAST);
        assertThat(EthernetFrames.etherType(bddp)).isEqualTo(EthernetFrames.TYPE_BDDP);
        assertThat(Arrays.copyOfRange(bddp, 14, 60)).isEqualTo(Arrays.copyOfRange(lldp, 14, 60));
        assertThat(ProbeFrames.parse(bddp, NONCE)).isEqualTo(new ProbeFrames.Origin(DPID, PORT));
    }

    @Test
    void probesOfAnotherRunOrWithoutOurTlvAreNotOurs() {
        byte[] otherRun = ProbeFrames.build(false, 1, DPID, PORT, NONCE + 1);
        byte[] foreign = ProbeFrames.build(false, 1, DPID, PORT, NONCE);
        foreign[34 + 2 + 3] = 0x01; // another organisation subtype (e.g. Floodlight's dpid TLV)

        assertThat(ProbeFrames.parse(otherRun, NONCE)).isNull();
        assertThat(ProbeFrames.parse(foreign, NONCE)).isNull();
    }

    @Test
    void truncatedOrGarbledProbesAreNotOursAndDoNotThrow() {
        byte[] frame = ProbeFrames.build(false, 1, DPID, PORT, NONCE);
        for (int length = 14; length < 56; length++) {
            assertThat(ProbeFrames.parse(Arrays.copyOf(frame, length), NONCE)).isNull();
        }
        byte[] garbled = frame.clone();
        garbled[34] = (byte) 0xFF; // organisation TLV claims 511 bytes
        assertThat(ProbeFrames.parse(garbled, NONCE)).isNull();
    }
}
