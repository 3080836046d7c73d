package dev.switchboard.apps.testing;

import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.SwitchboardApp;

/** Stands in for the real topology or hosts app: only publishes a fake service under the real app's name. */
public record PublishingApp<T>(String name, Class<T> type, T service) implements SwitchboardApp {
    @Override
    public void start(AppContext context) {
        context.publish(type, service);
    }
}
