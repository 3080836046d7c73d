package dev.switchboard.controller.app;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.PacketInService;
import dev.switchboard.controller.SwitchService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds apps with {@link ServiceLoader}, starts the ones asked for together with the apps
 * they require (each before the apps that need it), and stops them in reverse order.
 */
public final class AppRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppRuntime.class);
    private static final long FLOW_CLEANUP_SECONDS = 3;

    private final List<RunningApp> running;
    private final Map<Class<?>, Object> services;
    private final SwitchReconciler reconciler;

    private AppRuntime(List<RunningApp> running, Map<Class<?>, Object> services, SwitchReconciler reconciler) {
        this.running = running;
        this.services = services;
        this.reconciler = reconciler;
    }

    /** Every app on the class path, by name. */
    public static Map<String, SwitchboardApp> available(ClassLoader loader) {
        Map<String, SwitchboardApp> apps = new TreeMap<>();
        for (SwitchboardApp app : ServiceLoader.load(SwitchboardApp.class, loader)) {
            SwitchboardApp other = apps.putIfAbsent(app.name(), app);
            if (other != null) {
                throw new IllegalStateException("two apps are named '" + app.name() + "': "
                        + other.getClass().getName() + " and " + app.getClass().getName());
            }
        }
        return apps;
    }

    /**
     * The apps to start for {@code names}, required ones first, each once.
     *
     * @throws IllegalArgumentException for an unknown name, a requirement cycle, or two apps
     *         whose cookies would collide
     */
    public static List<SwitchboardApp> resolve(List<String> names, Map<String, SwitchboardApp> available) {
        Map<String, SwitchboardApp> ordered = new LinkedHashMap<>();
        for (String name : names) {
            visit(name, available, ordered, new ArrayDeque<>());
        }
        Map<Integer, String> numbers = new HashMap<>();
        for (String name : ordered.keySet()) {
            String clash = numbers.putIfAbsent(AppCookies.number(name), name);
            if (clash != null) {
                throw new IllegalArgumentException("apps '" + clash + "' and '" + name
                        + "' would share a flow cookie; rename one of them");
            }
        }
        return List.copyOf(ordered.values());
    }

    private static void visit(String name, Map<String, SwitchboardApp> available,
            Map<String, SwitchboardApp> ordered, Deque<String> path) {
        if (ordered.containsKey(name)) {
            return;
        }
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>(path);
            java.util.Collections.reverse(cycle);
            cycle.add(name);
            throw new IllegalArgumentException("apps require each other in a cycle: " + String.join(" -> ", cycle));
        }
        SwitchboardApp app = available.get(name);
        if (app == null) {
            String wanted = path.isEmpty() ? "" : " (required by '" + path.peek() + "')";
            throw new IllegalArgumentException("unknown app '" + name + "'" + wanted
                    + "; known: " + String.join(", ", available.keySet()));
        }
        path.push(name);
        for (String required : app.requires()) {
            visit(required, available, ordered, path);
        }
        path.pop();
        ordered.put(name, app);
    }

    /**
     * Starts {@code names} and their requirements, found on {@code loader}'s class path.
     * On failure the apps already started are stopped again and the exception is thrown.
     *
     * @param configs each app's config section by app name
     */
    public static AppRuntime start(Controller controller, List<String> names,
            Function<String, AppConfig> configs, ClassLoader loader) {
        return start(controller.switches(), controller.packetIns(), resolve(names, available(loader)), configs);
    }

    public static AppRuntime start(SwitchService switches, PacketInService packetIns,
            List<SwitchboardApp> apps, Function<String, AppConfig> configs) {
        Map<Class<?>, Object> services = new ConcurrentHashMap<>();
        List<RunningApp> started = new ArrayList<>();
        SwitchReconciler reconciler = new SwitchReconciler(switches);
        for (SwitchboardApp app : apps) {
            AppConfig config = configs.apply(app.name());
            RunningApp running = new RunningApp(app, new DefaultAppContext(app, reconciler, packetIns,
                    config == null ? AppConfig.empty("apps." + app.name()) : config, services));
            try {
                app.start(running.context());
            } catch (Exception e) {
                started.add(running); // stopped like the others
                new AppRuntime(started, services, reconciler).close();
                if (e instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException("app '" + app.name() + "': " + e.getMessage(), e);
                }
                throw new IllegalStateException("app '" + app.name() + "' failed to start: " + e, e);
            }
            started.add(running);
            reconciler.add(app);
            log.info("app {} started (flow cookie {})", app.name(), running.context().flows().cookie());
        }
        // only now: a switch is reconciled with every app, and announced to all of them at once
        reconciler.arm();
        return new AppRuntime(started, services, reconciler);
    }

    /** A service a running app published. */
    public <T> java.util.Optional<T> service(Class<T> type) {
        return java.util.Optional.ofNullable(type.cast(services.get(type)));
    }

    /**
     * Whether the apps serve {@code sw}: its flows were reconciled and the apps were told of it.
     * Until then its packets pass the apps by.
     */
    public boolean serves(dev.switchboard.controller.OFSwitch sw) {
        return reconciler.isServed(sw);
    }

    /** The running apps' names, in start order. */
    public List<String> names() {
        return running.stream().map(r -> r.app().name()).toList();
    }

    /**
     * Stops the apps in reverse start order. Their flows stay on the switches, which go on
     * forwarding with them (OVS in fail-secure mode keeps flows while it has no controller): the
     * next run reconciles them when the switches reconnect, so a restart is no outage. Use
     * {@link #closeAndRemoveFlows()} to take the apps' flows away too.
     */
    @Override
    public void close() {
        stop(false);
    }

    /** Stops the apps as {@link #close()} does, and deletes each one's flows from the switches. */
    public void closeAndRemoveFlows() {
        stop(true);
    }

    private void stop(boolean removeFlows) {
        reconciler.disarm();
        for (int i = running.size() - 1; i >= 0; i--) {
            RunningApp r = running.get(i);
            // unregister first, so no packet or event reaches an app that is stopping
            r.context().close();
            try {
                r.app().stop();
            } catch (RuntimeException e) {
                log.warn("app {} failed to stop cleanly", r.app().name(), e);
            }
            if (removeFlows) {
                try {
                    r.context().flows().removeAll().get(FLOW_CLEANUP_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("app {}: its flows may not all be deleted: {}", r.app().name(), e.toString());
                }
            }
        }
        running.clear();
    }

    private record RunningApp(SwitchboardApp app, DefaultAppContext context) {
    }
}
