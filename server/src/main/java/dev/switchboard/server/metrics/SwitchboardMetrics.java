package dev.switchboard.server.metrics;

import dev.switchboard.controller.ControllerStats;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.rest.MetricsEndpoint;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The server's metrics in Prometheus' text format: the controller's, the apps' errors, the OVSDB
 * transactions and the JVM's, each read from its source when scraped. The controller core and the
 * OVSDB client know nothing of Micrometer; they keep plain counters ({@link ControllerStats},
 * {@code TransactionStats}) which the binders of this package read.
 *
 * <p>Scrapes run on the REST API's threads. Safe for concurrent scrapes.
 */
public final class SwitchboardMetrics implements MetricsEndpoint {
    /** Prometheus' text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<DynamicMeters> dynamic;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param controller       the controller's stats
     * @param listenerFailures each running app's listener failures, by app name
     * @param ovsdbClients     the OVSDB servers managed now (none when there are none)
     */
    public SwitchboardMetrics(ControllerStats controller, Supplier<Map<String, Long>> listenerFailures,
            Supplier<List<OvsdbClient>> ovsdbClients) {
        ControllerMetrics switches = new ControllerMetrics(controller);
        AppMetrics apps = new AppMetrics(controller, listenerFailures);
        OvsdbMetrics ovsdb = new OvsdbMetrics(() -> ovsdbClients.get().stream()
                .map(client -> new OvsdbMetrics.Server(client.name(), client.transactions())).toList());
        switches.bindTo(registry);
        apps.bindTo(registry);
        ovsdb.bindTo(registry);
        dynamic = List.of(switches, apps, ovsdb);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** Every meter, as Prometheus reads it ({@link #CONTENT_TYPE}). */
    @Override
    public String scrape() {
        dynamic.forEach(DynamicMeters::refresh);
        return registry.scrape();
    }

    /** Removes the meters and stops listening for GC events; once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dynamic.forEach(DynamicMeters::close);
        gc.close();
        registry.close();
    }
}
