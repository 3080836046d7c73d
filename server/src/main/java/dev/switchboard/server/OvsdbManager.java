package dev.switchboard.server;

import dev.switchboard.controller.PeerText;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.jsonrpc.TlsFiles;
import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OVSDB servers the controller manages, from the config's {@code ovsdb:} section: it
 * connects to the active ones (reconnecting when they go away), accepts the passive ones,
 * and every time a server is synchronised (first connection and each reconnection) makes
 * sure the declared bridges exist, pointed at this controller. That is idempotent: a server
 * already as declared gets no transaction at all.
 *
 * <p>A declared bridge without {@code failMode} gets {@value #DEFAULT_FAIL_MODE}: when the
 * controller is away (restarting, unreachable) OVS keeps the flows it has and sends what misses
 * nowhere, instead of flushing them and flooding as a learning switch ({@code standalone},
 * OVS's own default) would. An explicit {@code failMode: standalone} is kept.
 */
public final class OvsdbManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OvsdbManager.class);
    /** The fail mode of a declared bridge that names none. */
    static final String DEFAULT_FAIL_MODE = "secure";
    private static final Set<String> FAIL_MODES = Set.of("secure", "standalone");

    private final JsonRpcTransport transport;
    private final List<BridgeSpec> bridges;
    private final List<String> controllers;
    /** {@code ovsdb.controllers} as configured: empty when overlay hosts get a target of their own. */
    private final List<String> configuredControllers;
    /** The controller's OpenFlow TCP addresses, for the targets of overlay hosts' bridges. */
    private final List<InetSocketAddress> openflowTcp;
    private final SwitchboardConfig.Overlay overlay;
    private final List<OvsdbClient> clients = new CopyOnWriteArrayList<>();
    private final List<JsonRpcTransport.Listener> listeners = new ArrayList<>();

    OvsdbManager(SwitchboardConfig.Ovsdb config, List<String> controllers) {
        this(config, controllers, List.of());
    }

    /** @param openflowTcp the controller's OpenFlow TCP addresses, where overlay hosts' bridges are pointed */
    OvsdbManager(SwitchboardConfig.Ovsdb config, List<String> controllers, List<InetSocketAddress> openflowTcp) {
        this.bridges = config.bridges().stream().map(OvsdbManager::spec).toList();
        this.configuredControllers = config.controllers();
        this.openflowTcp = List.copyOf(openflowTcp);
        this.overlay = config.overlay();
        SwitchboardConfig.Tls tls = config.tls();
        JsonRpcOptions options = config.jsonRpcOptions(JsonRpcOptions.defaults());
        if (tls != null) {
            options = options.withTls(new TlsFiles(Path.of(tls.privateKey()), Path.of(tls.certificate()),
                    Path.of(tls.caCertificate())));
        }
        this.transport = new JsonRpcTransport(options);
        this.controllers = List.copyOf(controllers);
        try {
            for (String target : config.connect()) {
                clients.add(OvsdbClient.connect(transport, Endpoint.parse(target), OpenVSwitch.newReplica(),
                        new OvsdbClient.ConnectionListener() {
                            @Override
                            public void synchronised(OvsdbClient client) {
                                applyDeclared(client);
                            }
                        }));
            }
            for (String target : config.listen()) {
                JsonRpcTransport.Listener listener = OvsdbClient.accept(transport, Endpoint.parse(target),
                        OpenVSwitch::newReplica, this::accepted);
                listeners.add(listener);
                log.info("waiting for OVSDB servers on {} (ovs-vsctl set-manager tcp:<this host>:{})",
                        listener.localAddress(), listener.localAddress().getPort());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The bridge as it is ensured: with {@link #DEFAULT_FAIL_MODE} unless the config names a fail mode.
     *
     * @throws IllegalArgumentException if the fail mode is neither {@code secure} nor {@code standalone}
     */
    static BridgeSpec spec(SwitchboardConfig.Bridge bridge) {
        String failMode = bridge.failMode() == null ? DEFAULT_FAIL_MODE : bridge.failMode();
        if (!FAIL_MODES.contains(failMode)) {
            throw new IllegalArgumentException("ovsdb.bridges: bridge " + bridge.name() + ": failMode is secure or standalone, not '"
                    + failMode + "'");
        }
        return new BridgeSpec(bridge.name(), bridge.datapathType(), failMode, Set.copyOf(bridge.protocols()),
                bridge.otherConfig(), bridge.externalIds());
    }

    /**
     * The controller targets a bridge gets by default: this controller's own OpenFlow addresses,
     * {@code tcp:} and {@code ssl:} (for which OVS needs {@code ovs-vsctl set-ssl}).
     */
    static List<String> defaultControllers(List<InetSocketAddress> tcp, List<InetSocketAddress> ssl) {
        Set<String> targets = new LinkedHashSet<>();
        tcp.forEach(address -> targets.add("tcp:" + target(address)));
        ssl.forEach(address -> targets.add("ssl:" + target(address)));
        return List.copyOf(targets);
    }

    private static String target(InetSocketAddress address) {
        String host = address.getAddress() == null || address.getAddress().isAnyLocalAddress()
                ? "127.0.0.1" : address.getAddress().getHostAddress();
        return host + ":" + address.getPort();
    }

    /**
     * A passive server synchronised. The listener goes in first: a connection that closes
     * before it is registered would otherwise stay in {@link #clients()} for ever; one that
     * closed already is not added.
     */
    private void accepted(OvsdbClient client) {
        client.addListener(new OvsdbClient.ConnectionListener() {
            @Override
            public void disconnected(OvsdbClient gone) {
                if (clients.remove(gone)) {
                    Optional<String> host = hostOf(gone);
                    if (host.isPresent()) {
                        // a hypervisor gone: its bridges drop off the controller, its tunnels' peers keep going
                        log.warn("Hypervisor {} (OVSDB server {}) disconnected; its declared state is applied again when it"
                                + " connects again", PeerText.escape(host.get()), PeerText.escape(gone.name()));
                    } else {
                        log.info("OVSDB server {} disconnected", PeerText.escape(gone.name()));
                    }
                }
            }
        });
        clients.add(client);
        if (!client.isConnected()) {
            clients.remove(client);
            log.info("OVSDB server {} disconnected before it was managed", PeerText.escape(client.name()));
            return;
        }
        log.info("OVSDB server {} connected to us", PeerText.escape(client.name()));
        applyDeclared(client);
    }

    /** The overlay host a client is, by its system-id: empty when there is no overlay or it is none of its hosts. */
    private Optional<String> hostOf(OvsdbClient client) {
        if (overlay == null) {
            return Optional.empty();
        }
        return new OpenVSwitch(client).systemId()
                .filter(id -> overlay.hosts().stream().anyMatch(host -> host.name().equals(id)));
    }

    /** Another connected client that is overlay host {@code id} too. */
    private Optional<OvsdbClient> otherClientAs(OvsdbClient client, String id) {
        return clients.stream().filter(other -> other != client && other.isConnected())
                .filter(other -> hostOf(other).filter(id::equals).isPresent()).findFirst();
    }

    /** The overlay hosts connected now, by system-id. */
    public List<String> connectedHosts() {
        return clients.stream().filter(OvsdbClient::isConnected).map(this::hostOf).flatMap(Optional::stream).sorted().toList();
    }

    private void applyDeclared(OvsdbClient client) {
        OpenVSwitch vswitch = new OpenVSwitch(client);
        List<BridgeSpec> wanted = bridges;
        List<PortSpec> ports = List.of();
        List<String> targets = controllers;
        Optional<String> host = hostOf(client);
        Optional<OvsdbClient> twin = host.flatMap(id -> otherClientAs(client, id));
        if (twin.isPresent()) {
            // The system-id is the peer's own claim: a second server claiming a connected host's id would get that
            // host's tunnels (its local_ip), so it gets only what is declared for every server.
            log.warn("{} claims system-id {}, which {} already has: not configuring it as that hypervisor",
                    PeerText.escape(client.name()), PeerText.escape(host.get()), PeerText.escape(twin.get().name()));
            host = Optional.empty();
        }
        Optional<OverlayPlan> plan = host.flatMap(id -> OverlayPlan.forHost(overlay, bridges, id,
                vswitch.externalIds().get(OverlayPlan.DATAPATH_KEY)));
        if (plan.isPresent()) {
            Set<String> networkBridges = new java.util.HashSet<>(plan.get().bridges().stream().map(BridgeSpec::name).toList());
            List<BridgeSpec> all = new ArrayList<>(bridges.stream().filter(b -> !networkBridges.contains(b.name())).toList());
            all.addAll(plan.get().bridges());
            wanted = all;
            ports = plan.get().tunnels();
            targets = overlayControllers(client);
            log.info("{} is hypervisor {}: ensuring bridges {} and tunnels {}, controllers {}", PeerText.escape(client.name()),
                    PeerText.escape(host.orElseThrow()), wanted.stream().map(BridgeSpec::name).toList(),
                    ports.stream().map(PortSpec::name).toList(), targets);
        } else if (overlay != null) {
            log.info("{} (system-id {}) is none of the overlay's hosts: only ovsdb.bridges apply", PeerText.escape(client.name()),
                    PeerText.escape(vswitch.systemId().orElse("unset")));
        }
        if (wanted.isEmpty()) {
            return;
        }
        List<String> names = wanted.stream().map(BridgeSpec::name).toList();
        vswitch.ensure(wanted, targets, ports).whenComplete((changes, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                // the message carries the server's own error text
                log.warn("{}: cannot apply the declared bridges: {}", PeerText.escape(client.name()),
                        PeerText.escape(cause.getMessage()));
            } else if (changes.isEmpty()) {
                log.info("{}: bridges {} are as declared", PeerText.escape(client.name()), names);
            } else {
                log.info("{}: applied {}", PeerText.escape(client.name()), describe(changes));
            }
        });
    }

    /**
     * Where an overlay host's bridges reach this controller: {@code ovsdb.controllers} when configured, else the
     * address the host's manager reached us at, on the OpenFlow port listening there (a hypervisor reaches the
     * controller over the same management link), else the default targets.
     */
    private List<String> overlayControllers(OvsdbClient client) {
        if (!configuredControllers.isEmpty()) {
            return configuredControllers;
        }
        Optional<InetSocketAddress> local = client.localAddress();
        if (local.isPresent()) {
            for (InetSocketAddress listening : openflowTcp) {
                if (listening.getAddress() != null && (listening.getAddress().isAnyLocalAddress()
                        || listening.getAddress().equals(local.get().getAddress()))) {
                    return List.of("tcp:" + local.get().getAddress().getHostAddress() + ":" + listening.getPort());
                }
            }
        }
        // The default targets are loopback ones: on a hypervisor of its own they point its bridges at itself.
        log.warn("{} reached us at {}, where OpenFlow does not listen (openflow.listen); its bridges get {}:"
                + " set ovsdb.controllers or listen there", PeerText.escape(client.name()),
                local.map(address -> address.getAddress().getHostAddress()).orElse("an unknown address"), controllers);
        return controllers;
    }

    private static String describe(List<Change> changes) {
        return changes.stream().map(change -> change.getClass().getSimpleName()).toList().toString();
    }

    public List<OvsdbClient> clients() {
        return List.copyOf(clients);
    }

    public List<InetSocketAddress> listening() {
        return listeners.stream().map(JsonRpcTransport.Listener::localAddress).toList();
    }

    @Override
    public void close() {
        clients.forEach(OvsdbClient::close);
        listeners.forEach(JsonRpcTransport.Listener::close);
        transport.close();
    }
}
