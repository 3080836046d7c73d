package dev.switchboard.apps.l2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.controller.packet.EthernetFrames;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MacTableTest {

    @Test
    void learnsMovesAndForgets() {
        MacTable table = new MacTable(10);
        long a = MacTable.key(0x0200_0000_000aL, EthernetFrames.UNTAGGED);

        assertThat(table.get(a)).isEqualTo(MacTable.NO_PORT);
        assertThat(table.put(a, 1)).isTrue();
        assertThat(table.get(a)).isEqualTo(1);
        assertThat(table.put(a, 2)).isTrue();
        assertThat(table.get(a)).isEqualTo(2);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.remove(a)).isTrue();
        assertThat(table.remove(a)).isFalse();
        assertThat(table.get(a)).isEqualTo(MacTable.NO_PORT);
        assertThat(table.size()).isZero();
    }

    @Test
    void theSameMacOnAnotherVlanIsAnotherEntry() {
        MacTable table = new MacTable(10);
        long mac = 0x0200_0000_000aL;
        table.put(MacTable.key(mac, EthernetFrames.UNTAGGED), 1);
        table.put(MacTable.key(mac, 0), 2);
        table.put(MacTable.key(mac, 4095), 3);

        assertThat(table.get(MacTable.key(mac, EthernetFrames.UNTAGGED))).isEqualTo(1);
        assertThat(table.get(MacTable.key(mac, 0))).isEqualTo(2);
        assertThat(table.get(MacTable.key(mac, 4095))).isEqualTo(3);
        assertThat(table.get(MacTable.key(mac, 5))).isEqualTo(MacTable.NO_PORT);
        // The all-zero MAC untagged is a valid key too: 0 marks empty slots only because keys carry a flag.
        assertThat(MacTable.key(0, EthernetFrames.UNTAGGED)).isNotZero();
    }

    @Test
    void stopsLearningNewMacsWhenFullButStillMovesKnownOnes() {
        MacTable table = new MacTable(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(table.put(MacTable.key(i, EthernetFrames.UNTAGGED), i)).isTrue();
        }
        assertThat(table.put(MacTable.key(4, EthernetFrames.UNTAGGED), 4)).isFalse();
        assertThat(table.get(MacTable.key(4, EthernetFrames.UNTAGGED))).isEqualTo(MacTable.NO_PORT);
        assertThat(table.put(MacTable.key(2, EthernetFrames.UNTAGGED), 9)).isTrue();
        assertThat(table.get(MacTable.key(2, EthernetFrames.UNTAGGED))).isEqualTo(9);
        assertThat(table.size()).isEqualTo(3);
        assertThatThrownBy(() -> new MacTable(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void behavesLikeAHashMapThroughGrowthCollisionsAndRemovals() {
        MacTable table = new MacTable(1_000_000);
        Map<Long, Integer> model = new HashMap<>();
        Random random = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            // Few distinct MACs of one vendor prefix, so that keys collide and removals shift chains.
            long key = MacTable.key(0x0011_2200_0000L | random.nextInt(20_000), random.nextInt(3) - 1);
            int op = random.nextInt(10);
            if (op < 6) {
                int port = 1 + random.nextInt(48);
                table.put(key, port);
                model.put(key, port);
            } else if (op < 9) {
                assertThat(table.remove(key)).isEqualTo(model.remove(key) != null);
            } else {
                assertThat(table.get(key)).isEqualTo(model.getOrDefault(key, MacTable.NO_PORT));
            }
        }
        assertThat(table.size()).isEqualTo(model.size());
        model.forEach((key, port) -> assertThat(table.get(key)).isEqualTo(port));
    }

    @Test
    void forgetsEveryMacOfAPort() {
        MacTable table = new MacTable(1000);
        for (int i = 0; i < 500; i++) {
            table.put(MacTable.key(i, EthernetFrames.UNTAGGED), i % 5);
        }

        assertThat(table.removePort(3)).isEqualTo(100);

        assertThat(table.size()).isEqualTo(400);
        for (int i = 0; i < 500; i++) {
            assertThat(table.get(MacTable.key(i, EthernetFrames.UNTAGGED))).isEqualTo(i % 5 == 3 ? MacTable.NO_PORT : i % 5);
        }
    }
}
