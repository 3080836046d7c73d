package dev.switchboard.apps.testing;

import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.SwitchboardApp;

/** Stands in for the real topology or hosts app: only publishes a fake service under the real app's name. */
public record PublishingApp<T>(String name, Class<T> type, T service) implements SwitchboardApp {
    /** The real app's number, so flows read as its own. */
    @Override
    public int cookieNumber() {
        return switch (name) {
            case "topology" -> 0x02;
            case "hosts" -> 0x03;
            default -> 0xF1;
        };
    }

    @Override
    public java.util.List<Class<?>> provides() {
        return java.util.List.of(type);
    }

    @Override
    public void start(AppContext context) {
        context.publish(type, service);
    }
}
