package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/** A switch cannot write a log line of its own through the strings it describes itself with. */
class LogInjectionTest {
    private static final String FORGED = "\n2026-12-04 12:00:00.000 ERROR forged";

    @Test
    void descStringsAndPortNamesAreEscapedInTheLog() {
        try (ControllerFixture fixture = new ControllerFixture(); LogCapture log = new LogCapture()) {
            EmulatedSwitch liar = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(9))
                    .helloVersion(OFVersion.OF_13).supportedVersions(OFVersion.OF_13).build());
            liar.onMessage(OFType.STATS_REQUEST, request -> {
                if (request instanceof OFPortDescStatsRequest) {
                    return List.of(liar.factory().buildPortDescStatsReply().setXid(request.getXid())
                            .setEntries(List.of(liar.portDesc(1, "\r\nERROR forged"))).build());
                }
                if (request instanceof OFDescStatsRequest) {
                    return List.of(liar.factory().buildDescStatsReply().setXid(request.getXid())
                            .setMfrDesc("maker" + FORGED).setHwDesc("hw" + FORGED).setSwDesc("sw" + FORGED)
                            .setSerialNum("1").setDpDesc("dp" + FORGED).build());
                }
                return List.of();
            });
            OFSwitch sw = fixture.awaitSwitch(fixture.connect(liar));

            assertThat(sw.description().manufacturer()).as("the API keeps what the switch said").endsWith(FORGED);
            assertThat(log.messages()).isNotEmpty().noneMatch(line -> line.contains("\n") || line.contains("\r"));
            assertThat(log.messages()).anyMatch(line -> line.contains("maker\\n2026-12-04 12:00:00.000 ERROR forged")
                    && line.contains("1(\\r\\nERROR forged)"));
        }
    }
}
