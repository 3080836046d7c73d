package dev.switchboard.rest;

import dev.switchboard.controller.Registration;
import java.util.List;
import java.util.Map;

/** The apps as the REST API shows them; the server implements it over its app runtime. */
public interface AppCatalog {

    /** The running apps, in start order. */
    List<AppInfo> apps();

    /**
     * Tells {@code listener} when apps were enabled or disabled at run time, so the API can follow
     * the services they publish (the live events listen to topology and hosts). An app enabled is
     * announced before it is told of any switch. Called on the thread that made the change, with no
     * lock held; the default never calls it (a fixed set of apps).
     */
    default Registration addChangeListener(Runnable listener) {
        return () -> { };
    }

    /**
     * @param name        the app's name ({@code --apps})
     * @param description what it does
     * @param cookie      its flow cookie prefix, hex
     * @param consumes    the services it needs (simple class names)
     * @param settings    its config section as written
     */
    record AppInfo(String name, String description, String cookie, List<String> consumes, Map<String, Object> settings) {
        public AppInfo {
            consumes = List.copyOf(consumes);
            settings = settings == null ? Map.of() : settings;
        }
    }
}
