package dev.switchboard.controller.internal;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.PacketInService;
import dev.switchboard.controller.Registration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered packet-in processors. The stages live in an array that is replaced by
 * compare-and-set, never changed, when a processor comes or goes, so the hot path reads one
 * volatile field and neither it nor a registration takes a lock.
 */
public final class PacketInPipeline implements PacketInService {
    private static final Logger log = LoggerFactory.getLogger(PacketInPipeline.class);
    private static final Comparator<Stage> BY_ORDER =
            Comparator.comparingInt(Stage::order).thenComparingLong(Stage::sequence);

    private record Stage(String name, int order, long sequence, PacketInProcessor processor, LongAdder failures) {
    }

    private final Counters counters;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<Stage[]> stages = new AtomicReference<>(new Stage[0]);

    PacketInPipeline(Counters counters) {
        this.counters = counters;
    }

    @Override
    public Registration addProcessor(String name, int order, PacketInProcessor processor) {
        Stage stage = new Stage(name, order, sequence.incrementAndGet(), processor, new LongAdder());
        stages.updateAndGet(before -> {
            Stage[] next = Arrays.copyOf(before, before.length + 1);
            next[next.length - 1] = stage;
            Arrays.sort(next, BY_ORDER);
            return next;
        });
        return () -> stages.updateAndGet(before -> Arrays.stream(before).filter(s -> s != stage).toArray(Stage[]::new));
    }

    void process(OFSwitch sw, OFPacketIn packetIn) {
        for (Stage stage : stages.get()) {
            try {
                if (stage.processor().process(sw, packetIn) == Disposition.STOP) {
                    return;
                }
            } catch (RuntimeException e) {
                failed(stage, sw, e);
            }
        }
    }

    /** Logs the 1st, 2nd, 4th, 8th… failure of a stage so a broken app cannot flood the log. */
    private void failed(Stage stage, OFSwitch sw, RuntimeException e) {
        counters.processorFailures.increment();
        counters.processorFailed(stage.name());
        stage.failures().increment();
        long count = stage.failures().sum();
        if (Long.bitCount(count) == 1) {
            log.warn("packet-in processor '{}' failed on a packet from {} (failure #{}); the pipeline goes on",
                    stage.name(), sw.id(), count, e);
        }
    }
}
