package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;

/**
 * Wiring of the OpenFlow controller: made, not started; {@link Switchboard} starts it once
 * the apps run. The controller's own API knows nothing of Guice.
 */
final class ControllerModule extends AbstractModule {
    private final ControllerConfig config;

    ControllerModule(ControllerConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(ControllerConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    Controller controller(ControllerConfig config) {
        return new Controller(config);
    }
}
