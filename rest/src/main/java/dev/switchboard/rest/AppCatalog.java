package dev.switchboard.rest;

import java.util.List;
import java.util.Map;

/** The apps as the REST API shows them; the server implements it over its app runtime. */
public interface AppCatalog {

    /** The running apps, in start order. */
    List<AppInfo> apps();

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
