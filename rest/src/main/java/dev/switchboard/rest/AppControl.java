package dev.switchboard.rest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The apps on the class path, and enabling and disabling them at run time; the server implements
 * it over its app runtime. Methods may throw {@link ApiException} (409 for a change the running
 * apps do not allow, naming the apps in the way).
 */
public interface AppControl {

    /** Every app on the class path, running or not, by name. */
    List<AppState> all();

    Optional<AppState> app(String name);

    /**
     * Starts the app; its providers must run already (409 naming the missing one otherwise).
     * Completes, never on an event loop's behalf, once the switches it serves were reconciled
     * for it. Enabling a running app changes nothing.
     */
    CompletableFuture<AppState> enable(String name);

    /**
     * Stops the app and deletes its flows from every switch (by its cookie); 409 naming the
     * running apps that consume what it provides. Disabling a stopped app changes nothing.
     */
    CompletableFuture<AppState> disable(String name);

    /**
     * @param state     {@code RUNNING} or {@code STOPPED}
     * @param cookie    its flow cookie prefix, hex
     * @param provides  the services it publishes (simple class names)
     * @param consumes  the services it needs
     * @param consumers the running apps that consume what it provides
     * @param settings  its config section as written (empty when none)
     */
    record AppState(String name, String description, String state, String cookie, List<String> provides,
            List<String> consumes, List<String> consumers, Map<String, Object> settings) {
        public AppState {
            provides = List.copyOf(provides);
            consumes = List.copyOf(consumes);
            consumers = List.copyOf(consumers);
            settings = settings == null ? Map.of() : settings;
        }
    }
}
