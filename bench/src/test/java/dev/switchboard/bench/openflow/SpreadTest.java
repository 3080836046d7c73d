package dev.switchboard.bench.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void cbenchFiguresUseThePopulationStandardDeviation() {
        Spread s = Spread.of(2, 4, 4, 4, 5, 5, 7, 9);
        assertThat(s.min()).isEqualTo(2);
        assertThat(s.max()).isEqualTo(9);
        assertThat(s.average()).isEqualTo(5);
        assertThat(s.stdev()).isCloseTo(2, within(1e-9));
        assertThat(s.median()).isEqualTo(4.5);
        assertThat(s.cbenchStyle()).isEqualTo("2.00/9.00/5.00/2.00");
    }

    @Test
    void theMedianOfAnOddCountIsTheMiddleValue() {
        assertThat(Spread.of(30, 10, 20).median()).isEqualTo(20);
    }
}
