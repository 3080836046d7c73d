package dev.switchboard.rest;

import dev.switchboard.controller.SwitchService;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.TopologyService;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the API reads: the controller's switches, and the services the running apps publish
 * (asked each time, so an app started or stopped later is seen); and the metrics {@code /metrics}
 * serves, if any; and the cluster this instance is a member of, if any.
 */
public record RestSources(SwitchService switches, Supplier<Optional<TopologyService>> topology,
        Supplier<Optional<HostService>> hosts, AppCatalog apps, Optional<MetricsEndpoint> metrics,
        Optional<ClusterInfo> cluster) {

    public RestSources {
        Objects.requireNonNull(switches, "switches");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(apps, "apps");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(cluster, "cluster");
    }

    /** Alone, not in a cluster. */
    public RestSources(SwitchService switches, Supplier<Optional<TopologyService>> topology,
            Supplier<Optional<HostService>> hosts, AppCatalog apps, Optional<MetricsEndpoint> metrics) {
        this(switches, topology, hosts, apps, metrics, Optional.empty());
    }

    /** Without {@code /metrics}. */
    public RestSources(SwitchService switches, Supplier<Optional<TopologyService>> topology,
            Supplier<Optional<HostService>> hosts, AppCatalog apps) {
        this(switches, topology, hosts, apps, Optional.empty());
    }
}
