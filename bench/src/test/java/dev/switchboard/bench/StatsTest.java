package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(ms(30), ms(10), ms(20)))).isEqualTo(ms(20));
        assertThat(Stats.median(List.of(ms(7)))).isEqualTo(ms(7));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(List.of(ms(40), ms(10), ms(20), ms(1000)))).isEqualTo(ms(30));
    }

    @Test
    void medianOfNothingIsAnError() {
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secondsHaveThreeDecimalsAndRatiosFewerAsTheyGrow() {
        assertThat(Stats.seconds(Duration.ofNanos(1_234_567_890))).isEqualTo("1.235");
        assertThat(Stats.number(0.456)).isEqualTo("0.46");
        assertThat(Stats.number(12.34)).isEqualTo("12.3");
        assertThat(Stats.number(123.4)).isEqualTo("123");
    }
}
