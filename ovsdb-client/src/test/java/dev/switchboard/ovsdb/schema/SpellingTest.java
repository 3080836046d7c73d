package dev.switchboard.ovsdb.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {

    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(Spelling.distance("", "")).isZero();
        assertThat(Spelling.distance("name", "name")).isZero();
        assertThat(Spelling.distance("nmae", "name")).isEqualTo(2);
        assertThat(Spelling.distance("fail_mod", "fail_mode")).isEqualTo(1);
        assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Spelling.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void closestIsTheNearestWithinTheLimitTheFirstOnATie() {
        List<String> names = List.of("rate", "delay", "loss", "queue");
        assertThat(Spelling.closest("dealy", names, 2)).contains("delay");
        assertThat(Spelling.closest("lose", names, 2)).contains("loss");
        assertThat(Spelling.closest("bandwidth", names, 2)).isEmpty();
        assertThat(Spelling.closest("ab", List.of("aa", "bb"), 2)).contains("aa");
    }
}
