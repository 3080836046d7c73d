package dev.switchboard.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardedMapTest {

    @Test
    void changesMakeNewMapsAndLeaveTheOldOnesAsTheyWere() {
        ShardedMap<Integer, String> empty = ShardedMap.empty();
        ShardedMap<Integer, String> one = empty.with(1, "a");
        ShardedMap<Integer, String> many = one;
        for (int i = 2; i <= 1000; i++) {
            many = many.with(i, "v" + i);
        }

        assertThat(empty.size()).isZero();
        assertThat(empty.get(1)).isNull();
        assertThat(one.size()).isEqualTo(1);
        assertThat(one.get(2)).isNull();
        assertThat(many.size()).isEqualTo(1000);
        assertThat(many.get(1)).isEqualTo("a");
        assertThat(many.get(1000)).isEqualTo("v1000");
        assertThat(many.with(1, "b").size()).isEqualTo(1000); // replacing does not count twice
        List<String> values = new ArrayList<>();
        many.forEachValue(values::add);
        assertThat(values).hasSize(1000).contains("a", "v500");
    }

    @Test
    void removalHappensOnlyWhenTheKeyStillMapsToTheExpectedValue() {
        String first = new String("owner");
        String second = new String("owner"); // equal, but another object: another claim
        ShardedMap<Integer, String> claimed = ShardedMap.<Integer, String>empty().with(7, first).with(7, second);

        assertThat(claimed.without(7, first)).isSameAs(claimed);
        ShardedMap<Integer, String> released = claimed.without(7, second);
        assertThat(released.get(7)).isNull();
        assertThat(released.size()).isZero();
        assertThat(claimed.get(7)).isSameAs(second);
    }
}
