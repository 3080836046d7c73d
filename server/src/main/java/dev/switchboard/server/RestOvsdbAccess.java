package dev.switchboard.server;

import dev.switchboard.controller.PeerText;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcException;
import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.InvalidSpecException;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import dev.switchboard.ovsdb.vswitch.VSwitchException;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import dev.switchboard.ovsdb.vswitch.Views.InterfaceView;
import dev.switchboard.ovsdb.vswitch.Views.PortView;
import dev.switchboard.rest.ApiException;
import dev.switchboard.rest.OvsChange;
import dev.switchboard.rest.OvsdbAccess;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** The REST API's view of the OVSDB servers {@link OvsdbManager} manages. */
final class RestOvsdbAccess implements OvsdbAccess {
    private final OvsdbManager manager;

    RestOvsdbAccess(OvsdbManager manager) {
        this.manager = manager;
    }

    @Override
    public List<Server> servers() {
        return manager.clients().stream().<Server>map(ClientServer::new).toList();
    }

    /** {@code unix:/run/db.sock} -> {@code unix__run_db.sock}: one path segment. */
    static String id(String name) {
        return name.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private record ClientServer(OvsdbClient client) implements Server {
        @Override
        public String id() {
            return RestOvsdbAccess.id(client.name());
        }

        @Override
        public String name() {
            return PeerText.escape(client.name());
        }

        @Override
        public boolean connected() {
            return client.isConnected();
        }

        @Override
        public List<Bridge> bridges() {
            return new OpenVSwitch(client).bridges().stream().map(RestOvsdbAccess::bridge).toList();
        }

        @Override
        public CompletableFuture<Void> apply(OvsChange change) {
            Change planned;
            try {
                planned = change(change);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(ApiException.badRequest(field(e), PeerText.escape(e.getMessage())));
            }
            List<Change> changes = change instanceof OvsChange.AddBridge add && add.controllers() != null
                    ? List.of(planned, new Change.SetControllers(add.name(), add.controllers())) : List.of(planned);
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                new OpenVSwitch(client).apply(changes).whenComplete((result, failure) -> {
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(error(client.name(), failure));
                    }
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(error(client.name(), e));
            }
            return done;
        }
    }

    /** The request field a refusal is about: {@link InvalidSpecException} names it; {@code body} otherwise. */
    static String field(IllegalArgumentException refusal) {
        return refusal instanceof InvalidSpecException invalid ? invalid.field() : "body";
    }

    static Change change(OvsChange change) {
        if (change instanceof OvsChange.AddBridge add) {
            return new Change.AddBridge(BridgeSpec.named(add.name()).withDatapathType(add.datapathType())
                    .withFailMode(add.failMode()).withProtocols(new LinkedHashSet<>(add.protocols())), add.mayExist());
        }
        if (change instanceof OvsChange.DeleteBridge delete) {
            return new Change.DeleteBridge(delete.name(), delete.ifExists());
        }
        if (change instanceof OvsChange.AddPort add) {
            return new Change.AddPort(new PortSpec(add.bridge(), add.name(), InterfaceType.of(add.type()), add.options(),
                    add.tag(), add.trunks() == null ? Set.of() : new LinkedHashSet<>(add.trunks())), add.mayExist());
        }
        if (change instanceof OvsChange.DeletePort delete) {
            return new Change.DeletePort(delete.bridge(), delete.name(), delete.ifExists());
        }
        if (change instanceof OvsChange.SetControllers set) {
            return new Change.SetControllers(set.bridge(), set.targets());
        }
        OvsChange.SetFailMode set = (OvsChange.SetFailMode) change;
        return new Change.ConfigureBridge(BridgeSpec.named(set.bridge()).withFailMode(set.failMode()));
    }

    /**
     * The client's error for an OVSDB failure: what was wrong (404/409), what the server said
     * (502, its text escaped), or that it did not answer (504). Never a Java exception's text.
     */
    static ApiException error(String serverName, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String server = PeerText.escape(serverName);
        if (cause instanceof VSwitchException && cause.getCause() instanceof TimeoutException) {
            return new ApiException(504, server + ": " + PeerText.escape(cause.getMessage()), null);
        }
        if (cause instanceof VSwitchException) {
            String message = PeerText.escape(cause.getMessage());
            if (message.startsWith("no bridge named") || message.startsWith("no port named")
                    || message.contains(": no bridge named")) {
                return ApiException.notFound(message);
            }
            if (message.startsWith("committed, but")) {
                return new ApiException(504, server + ": " + message, null);
            }
            return ApiException.conflict(message);
        }
        if (cause instanceof OvsdbTransactionException e) {
            return ApiException.badGateway(server + " refused the transaction, nothing was changed: "
                    + PeerText.escape(e.getMessage()));
        }
        if (cause instanceof TimeoutException) {
            return new ApiException(504, server + " did not answer in time", null);
        }
        if (cause instanceof JsonRpcException) {
            return ApiException.badGateway(server + ": " + PeerText.escape(cause.getMessage()));
        }
        if (cause instanceof IllegalArgumentException) {
            return ApiException.badRequest("body", PeerText.escape(cause.getMessage()));
        }
        return ApiException.internal("OVSDB change on " + server + " failed", cause);
    }

    static Bridge bridge(BridgeView b) {
        return new Bridge(b.name(), b.uuid().toString(), b.datapathType(), b.datapathId().orElse(null),
                b.failMode().orElse(null), b.protocols().stream().sorted().toList(), b.otherConfig(), b.externalIds(),
                b.controllers().stream().map(c -> new Controller(c.target(), c.connected())).toList(),
                b.ports().stream().map(RestOvsdbAccess::port).toList());
    }

    private static Port port(PortView p) {
        return new Port(p.name(), p.uuid().toString(), p.tag().orElse(null), p.trunks().stream().sorted().toList(),
                p.interfaces().stream().map(RestOvsdbAccess::iface).toList());
    }

    private static Interface iface(InterfaceView i) {
        return new Interface(i.name(), i.uuid().toString(), i.type(), i.options(), i.ofport().orElse(null),
                i.error().orElse(null));
    }
}
