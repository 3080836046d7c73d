package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.controller.ControllerConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** Wiring of the OVSDB manager: how to start it once the controller's addresses are known. */
final class OvsdbModule extends AbstractModule {
    private final SwitchboardConfig.Ovsdb config;

    OvsdbModule(SwitchboardConfig.Ovsdb config) {
        this.config = config;
    }

    /** Starts the OVSDB sessions for the controller listening on the addresses given. */
    @FunctionalInterface
    interface OvsdbStarter {
        /**
         * @param bound the controller's addresses, TCP first, as {@code Controller.start()} lists them
         * @return the manager, or empty when no OVSDB server is configured
         */
        Optional<OvsdbManager> start(List<InetSocketAddress> bound);
    }

    @Provides
    OvsdbStarter starter(ControllerConfig openflow) {
        return bound -> {
            if (config.isEmpty()) {
                return Optional.empty();
            }
            int tcp = openflow.listen().size();
            List<String> targets = config.controllers().isEmpty()
                    ? OvsdbManager.defaultControllers(bound.subList(0, tcp), bound.subList(tcp, bound.size()))
                    : config.controllers();
            return Optional.of(new OvsdbManager(config, targets, bound.subList(0, tcp)));
        };
    }
}
