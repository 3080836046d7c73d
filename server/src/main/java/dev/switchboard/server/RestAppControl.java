package dev.switchboard.server;

import dev.switchboard.controller.Registration;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppConflictException;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.rest.ApiException;
import dev.switchboard.rest.AppCatalog;
import dev.switchboard.rest.AppControl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The REST API's apps: the runtime's running apps and every app on the class path. */
final class RestAppControl implements AppControl, AppCatalog {
    private final AppRuntime runtime;
    private final Map<String, SwitchboardApp> available;
    private final Function<String, AppConfig> configs;

    RestAppControl(AppRuntime runtime, Map<String, SwitchboardApp> available, Function<String, AppConfig> configs) {
        this.runtime = runtime;
        this.available = available;
        this.configs = configs;
    }

    @Override
    public List<AppInfo> apps() {
        return runtime.running().stream().map(app -> new AppInfo(app.name(), app.description(),
                AppCookies.cookie(app).toString(), names(app.consumes()), settings(app.name()))).toList();
    }

    @Override
    public Registration addChangeListener(Runnable listener) {
        return runtime.addChangeListener(listener);
    }

    @Override
    public List<AppState> all() {
        return available.keySet().stream().map(this::state).toList();
    }

    @Override
    public Optional<AppState> app(String name) {
        return available.containsKey(name) ? Optional.of(state(name)) : Optional.empty();
    }

    @Override
    public CompletableFuture<AppState> enable(String name) {
        SwitchboardApp described = available.get(name);
        try {
            return runtime.enable(described, available).thenApply(ok -> state(name));
        } catch (AppConflictException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            // a bad config section: named by file, line and key
            throw ApiException.conflict(e.getMessage());
        }
    }

    @Override
    public CompletableFuture<AppState> disable(String name) {
        try {
            return runtime.disable(name).thenApply(ok -> state(name));
        } catch (AppConflictException e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    private AppState state(String name) {
        SwitchboardApp described = available.get(name);
        List<SwitchboardApp> running = runtime.running();
        boolean runs = running.stream().anyMatch(a -> a.name().equals(name));
        List<String> consumers = running.stream().filter(a -> !a.name().equals(name))
                .filter(a -> a.consumes().stream().anyMatch(described.provides()::contains))
                .map(SwitchboardApp::name).toList();
        return new AppState(name, described.description(), runs ? "RUNNING" : "STOPPED",
                AppCookies.cookie(described).toString(), names(described.provides()), names(described.consumes()),
                consumers, settings(name));
    }

    private Map<String, Object> settings(String name) {
        try {
            AppConfig section = configs.apply(name);
            return section == null ? Map.of() : section.settings();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static List<String> names(List<Class<?>> types) {
        return types.stream().map(Class::getSimpleName).toList();
    }
}
