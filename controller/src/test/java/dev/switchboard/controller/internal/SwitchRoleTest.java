package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRole;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRoleRequest;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U64;

class SwitchRoleTest {
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final OFFactory OF10 = OFFactories.getFactory(OFVersion.OF_10);

    @Test
    void aloneTheConnectionIsMasterAndAsksNothing() {
        assertThat(SwitchRole.standalone().actsAsMaster()).isTrue();
    }

    @Test
    void actsAsMasterOnlyOnceTheSwitchAcceptedTheTermsRequest() {
        SwitchRole role = SwitchRole.clustered();
        assertThat(role.actsAsMaster()).isFalse();

        SwitchRole.Request request = role.decide(OptionalLong.of(0x2_0000_0005L), OF13);

        OFRoleRequest sent = (OFRoleRequest) request.message();
        assertThat(sent.getRole()).isEqualTo(OFControllerRole.ROLE_MASTER);
        assertThat(sent.getGenerationId()).isEqualTo(U64.of(0x2_0000_0005L));
        assertThat(role.actsAsMaster()).as("not before the reply").isFalse();
        role.answered(request.seq(), true, false);
        assertThat(role.actsAsMaster()).isTrue();
        assertThat(role.decide(OptionalLong.of(0x2_0000_0005L), OF13)).as("same term: nothing to ask").isNull();
    }

    @Test
    void aDemotionStopsActingAtOnceBeforeTheSwitchAnswers() {
        SwitchRole role = SwitchRole.clustered();
        role.answered(role.decide(OptionalLong.of(7), OF13).seq(), true, false);

        SwitchRole.Request slave = role.decide(OptionalLong.empty(), OF13);

        assertThat(role.actsAsMaster()).isFalse();
        assertThat(((OFRoleRequest) slave.message()).getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
        role.answered(slave.seq(), true, false);
        assertThat(role.actsAsMaster()).isFalse();
    }

    @Test
    void aLateAcceptOfAnOlderMasterRequestDoesNotPromote() {
        SwitchRole role = SwitchRole.clustered();
        SwitchRole.Request master = role.decide(OptionalLong.of(7), OF13);
        role.decide(OptionalLong.empty(), OF13); // demoted before the switch answered

        role.answered(master.seq(), true, false);

        assertThat(role.actsAsMaster()).isFalse();
    }

    @Test
    void aStaleRefusalIsLosingMastershipAndTheSameTermIsNotAskedAgain() {
        SwitchRole role = SwitchRole.clustered();
        SwitchRole.Request master = role.decide(OptionalLong.of(7), OF13);

        role.answered(master.seq(), false, true);

        assertThat(role.actsAsMaster()).isFalse();
        assertThat(role.refusedAsStale()).isTrue();
        assertThat(role.decide(OptionalLong.of(7), OF13)).isNull();
        SwitchRole.Request newer = role.decide(OptionalLong.of(9), OF13);
        assertThat(newer).as("a newer term is asked").isNotNull();
        role.answered(newer.seq(), true, false);
        assertThat(role.actsAsMaster()).isTrue();
    }

    @Test
    void openFlow10UsesTheNiciraRoleRequest() {
        SwitchRole role = SwitchRole.clustered();

        OFNiciraControllerRoleRequest master = (OFNiciraControllerRoleRequest) role.decide(OptionalLong.of(7), OF10).message();
        OFNiciraControllerRoleRequest slave = (OFNiciraControllerRoleRequest) role.decide(OptionalLong.empty(), OF10).message();

        assertThat(master.getRole()).isEqualTo(OFNiciraControllerRole.ROLE_MASTER);
        assertThat(slave.getRole()).isEqualTo(OFNiciraControllerRole.ROLE_SLAVE);
    }

    @Test
    void aSlaveRequestCarriesTheCurrentTermNotZero() {
        SwitchRole role = SwitchRole.clustered();

        SwitchRole.Request slave = role.decide(OptionalLong.empty(), OptionalLong.of(0x3_0000_0010L), OF13);

        assertThat(((OFRoleRequest) slave.message()).getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
        assertThat(((OFRoleRequest) slave.message()).getGenerationId()).isEqualTo(U64.of(0x3_0000_0010L));
        assertThat(role.decide(OptionalLong.empty(), OptionalLong.of(0x3_0000_0020L), OF13))
                .as("a slave is not asked again when another master's term starts").isNull();
    }

    @Test
    void aDemotedMastersSlaveRequestCarriesItsOwnTermWhenNoNewerIsKnown() {
        SwitchRole role = SwitchRole.clustered();
        role.answered(role.decide(OptionalLong.of(0x40), OF13).seq(), true, false);

        SwitchRole.Request slave = role.decide(OptionalLong.empty(), OptionalLong.empty(), OF13);

        assertThat(((OFRoleRequest) slave.message()).getGenerationId())
                .as("not older than what the switch accepted from us, or it refuses it as stale").isEqualTo(U64.of(0x40));
    }

    @Test
    void aSlaveRequestRefusedAsStaleIsAskedAgainOnceANewerTermIsKnown() {
        SwitchRole role = SwitchRole.clustered();
        SwitchRole.Request early = role.decide(OptionalLong.empty(), OptionalLong.empty(), OF13); // no term known yet

        role.answered(early.seq(), false, true); // another instance's term reached the switch first

        assertThat(role.slaveRefusedAsStale()).isTrue();
        assertThat(role.decide(OptionalLong.empty(), OptionalLong.empty(), OF13)).as("nothing newer to offer").isNull();
        SwitchRole.Request again = role.decide(OptionalLong.empty(), OptionalLong.of(0x18), OF13);
        assertThat(again).isNotNull();
        assertThat(((OFRoleRequest) again.message()).getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
        assertThat(((OFRoleRequest) again.message()).getGenerationId()).isEqualTo(U64.of(0x18));
        role.answered(again.seq(), true, false);
        assertThat(role.slaveRefusedAsStale()).isFalse();
        assertThat(role.decide(OptionalLong.empty(), OptionalLong.of(0x18), OF13)).isNull();
        assertThat(role.actsAsMaster()).isFalse();
    }
}
