package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The OVSDB servers the controller manages (the config's {@code ovsdb:} section), read from
 * each one's live replica and changed by transactions; the server implements it over its
 * {@code OvsdbManager}.
 */
public interface OvsdbAccess {

    List<Server> servers();

    /** The server with {@link Server#id()} {@code id}. */
    default Optional<Server> server(String id) {
        return servers().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** One managed OVSDB server. */
    interface Server {
        /** The server's name made safe for a URL path: every character but letters, digits, '.', '-' is '_'. */
        String id();

        /** How the controller reaches it or it reached the controller, e.g. {@code tcp:127.0.0.1:6640}. */
        String name();

        boolean connected();

        List<Bridge> bridges();

        /**
         * Applies one change as one transaction and waits for ovs-vswitchd to apply it. Fails
         * with an {@link ApiException}: 404 for a bridge or port that is not there, 409 for one
         * that is, 502 when the server refuses (its text, escaped), 504 when it does not answer.
         */
        CompletableFuture<Void> apply(OvsChange change);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ServerView(String id, String name, boolean connected, List<String> bridges) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Bridge(String name, String uuid, String datapathType, String datapathId, String failMode,
            List<String> protocols, Map<String, String> otherConfig, Map<String, String> externalIds,
            List<Controller> controllers, List<Port> ports) {
    }

    record Controller(String target, boolean connected) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Port(String name, String uuid, Long tag, List<Long> trunks, List<Interface> interfaces) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Interface(String name, String uuid, String type, Map<String, String> options, Long ofport, String error) {
    }
}
