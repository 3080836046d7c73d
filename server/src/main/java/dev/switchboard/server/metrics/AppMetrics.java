package dev.switchboard.server.metrics;

import dev.switchboard.controller.ControllerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Exceptions thrown by apps, by app: {@code kind=processor} for packet-in processors (the
 * controller counts them under the name they were registered with, the app's), {@code
 * kind=listener} for switch, error and message listeners (counted by the app runtime). Every
 * running app has both from the start, at zero; a processor registered under another name gets
 * its meter when it first fails.
 */
final class AppMetrics implements MeterBinder, DynamicMeters {
    private final ControllerStats stats;
    private final Supplier<Map<String, Long>> listenerFailures;
    private MeterSet<String> processors;

    /** @param listenerFailures listener failures by app, for every running app (e.g. {@code AppRuntime::listenerFailures}) */
    AppMetrics(ControllerStats stats, Supplier<Map<String, Long>> listenerFailures) {
        this.stats = stats;
        this.listenerFailures = listenerFailures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String app : listenerFailures.get().keySet()) {
            FunctionCounter.builder("switchboard.app.errors", listenerFailures,
                            failures -> failures.get().getOrDefault(app, 0L))
                    .description("Exceptions thrown by an app's packet-in processors and listeners")
                    .tag("app", app).tag("kind", "listener").register(registry);
        }
        processors = new MeterSet<>(registry, name -> List.<Meter>of(
                FunctionCounter.builder("switchboard.app.errors", stats,
                                s -> s.processorFailures().getOrDefault(name, 0L))
                        .description("Exceptions thrown by an app's packet-in processors and listeners")
                        .tag("app", name).tag("kind", "processor").register(registry)));
        refresh();
    }

    @Override
    public void refresh() {
        Set<String> names = new HashSet<>(listenerFailures.get().keySet());
        names.addAll(stats.processorFailures().keySet());
        processors.sync(names);
    }

    @Override
    public void close() {
        processors.clear();
    }
}
