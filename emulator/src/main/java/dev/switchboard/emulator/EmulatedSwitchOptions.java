package dev.switchboard.emulator;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * How an {@link EmulatedSwitch} presents itself. Immutable; build with {@link #builder()}.
 *
 * @param datapathId the switch's datapath id, reported in FEATURES_REPLY and used in port MACs
 * @param helloVersion the version of the HELLO the switch sends (unless overridden)
 * @param supportedVersions versions the switch accepts in negotiation and advertises in its bitmap
 * @param sendVersionBitmap whether the HELLO carries a version bitmap (only possible for 1.3+
 *     HELLOs, or with {@code helloWireVersionOverride})
 * @param portCount number of ports {@code eth1..ethN} the switch starts with
 * @param portsPerDescReply ports per PORT_DESC reply part; 0 puts all ports in one reply
 * @param answerEchoes whether ECHO_REQUEST is answered (off to test the controller's keepalive)
 * @param helloWireVersionOverride 0 for none; otherwise the raw version byte of the HELLO sent,
 *     e.g. 7 for a version openflowj does not know
 */
public record EmulatedSwitchOptions(
        DatapathId datapathId,
        OFVersion helloVersion,
        Set<OFVersion> supportedVersions,
        boolean sendVersionBitmap,
        int portCount,
        int portsPerDescReply,
        boolean answerEchoes,
        int helloWireVersionOverride) {

    public EmulatedSwitchOptions {
        Objects.requireNonNull(datapathId, "datapathId");
        Objects.requireNonNull(helloVersion, "helloVersion");
        Objects.requireNonNull(supportedVersions, "supportedVersions");
        if (supportedVersions.isEmpty()) {
            throw new IllegalArgumentException("supportedVersions must not be empty");
        }
        // An EnumSet keeps the versions in wire order, so toString and iteration read naturally.
        supportedVersions = Collections.unmodifiableSet(EnumSet.copyOf(supportedVersions));
        if (portCount < 0 || portCount > 0xff00) {
            throw new IllegalArgumentException("portCount out of range: " + portCount);
        }
        if (portsPerDescReply < 0) {
            throw new IllegalArgumentException("portsPerDescReply must be >= 0: " + portsPerDescReply);
        }
        if (helloWireVersionOverride < 0 || helloWireVersionOverride > 0xff) {
            throw new IllegalArgumentException(
                    "helloWireVersionOverride must fit a byte: " + helloWireVersionOverride);
        }
    }

    /** Defaults: dpid 1, HELLO 1.3 with a bitmap of 1.0–1.5, 2 ports in one reply, echoes on. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this record's values. */
    public Builder toBuilder() {
        return new Builder()
                .datapathId(datapathId)
                .helloVersion(helloVersion)
                .supportedVersions(supportedVersions)
                .sendVersionBitmap(sendVersionBitmap)
                .portCount(portCount)
                .portsPerDescReply(portsPerDescReply)
                .answerEchoes(answerEchoes)
                .helloWireVersionOverride(helloWireVersionOverride);
    }

    /** Mutable builder; validation happens in {@link #build()}. */
    public static final class Builder {
        private DatapathId datapathId = DatapathId.of(1);
        private OFVersion helloVersion = OFVersion.OF_13;
        private Set<OFVersion> supportedVersions = EnumSet.allOf(OFVersion.class);
        private boolean sendVersionBitmap = true;
        private int portCount = 2;
        private int portsPerDescReply = 0;
        private boolean answerEchoes = true;
        private int helloWireVersionOverride = 0;

        private Builder() {}

        public Builder datapathId(DatapathId datapathId) {
            this.datapathId = datapathId;
            return this;
        }

        public Builder datapathId(long datapathId) {
            return datapathId(DatapathId.of(datapathId));
        }

        public Builder helloVersion(OFVersion helloVersion) {
            this.helloVersion = helloVersion;
            return this;
        }

        public Builder supportedVersions(Set<OFVersion> supportedVersions) {
            this.supportedVersions = supportedVersions;
            return this;
        }

        public Builder supportedVersions(OFVersion first, OFVersion... rest) {
            return supportedVersions(EnumSet.of(first, rest));
        }

        public Builder sendVersionBitmap(boolean sendVersionBitmap) {
            this.sendVersionBitmap = sendVersionBitmap;
            return this;
        }

        public Builder portCount(int portCount) {
            this.portCount = portCount;
            return this;
        }

        public Builder portsPerDescReply(int portsPerDescReply) {
            this.portsPerDescReply = portsPerDescReply;
            return this;
        }

        public Builder answerEchoes(boolean answerEchoes) {
            this.answerEchoes = answerEchoes;
            return this;
        }

        public Builder helloWireVersionOverride(int helloWireVersionOverride) {
            this.helloWireVersionOverride = helloWireVersionOverride;
            return this;
        }

        public EmulatedSwitchOptions build() {
            return new EmulatedSwitchOptions(
                    datapathId,
                    helloVersion,
                    supportedVersions,
                    sendVersionBitmap,
                    portCount,
                    portsPerDescReply,
                    answerEchoes,
                    helloWireVersionOverride);
        }
    }
}
