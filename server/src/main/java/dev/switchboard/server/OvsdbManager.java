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
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
    private final List<OvsdbClient> clients = new CopyOnWriteArrayList<>();
    private final List<JsonRpcTransport.Listener> listeners = new ArrayList<>();

    OvsdbManager(SwitchboardConfig.Ovsdb config, List<String> controllers) {
        this.bridges = config.bridges().stream().map(OvsdbManager::spec).toList();
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
                    log.info("OVSDB server {} disconnected", PeerText.escape(gone.name()));
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

    private void applyDeclared(OvsdbClient client) {
        if (bridges.isEmpty()) {
            return;
        }
        new OpenVSwitch(client).ensure(bridges, controllers).whenComplete((changes, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                // the message carries the server's own error text
                log.warn("{}: cannot apply the declared bridges: {}", PeerText.escape(client.name()),
                        PeerText.escape(cause.getMessage()));
            } else if (changes.isEmpty()) {
                log.info("{}: bridges {} are as declared", PeerText.escape(client.name()), names());
            } else {
                log.info("{}: applied {}", PeerText.escape(client.name()), describe(changes));
            }
        });
    }

    private List<String> names() {
        return bridges.stream().map(BridgeSpec::name).toList();
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
