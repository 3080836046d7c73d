package dev.switchboard.controller.app;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.PacketInService;
import dev.switchboard.controller.Registration;
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
 * providing the services they consume (each before the apps that need it), and stops them in
 * reverse order.
 */
public final class AppRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppRuntime.class);
    private static final long FLOW_CLEANUP_SECONDS = 3;

    /** In start order; copy-on-write, since apps start and stop at run time while others read it. */
    private final List<RunningApp> running;
    private final Map<Class<?>, ServiceViews<?>> services;
    private final SwitchReconciler reconciler;
    /** Views handed out by {@link #service}, by the published views they came from, and what was registered on them. */
    private final Map<ServiceViews<?>, Object> ownerViews = new ConcurrentHashMap<>();
    private final List<Registration> ownerRegistrations = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What starting an app at run time needs; null for a runtime made only to stop apps. */
    private final Starter starter;
    /** Set while an app is enabled or disabled: one change at a time, refused rather than waited for. */
    private final java.util.concurrent.atomic.AtomicBoolean changing = new java.util.concurrent.atomic.AtomicBoolean();
    /** Told when the set of running apps changed at run time (see {@link #addChangeListener}). */
    private final Listeners<Runnable> changeListeners = new Listeners<>();

    /** How the runtime started its apps, kept to start more of them later. */
    private record Starter(PacketInService packetIns, Function<String, AppConfig> configs, AppFactory factory) {
    }

    private AppRuntime(List<RunningApp> running, Map<Class<?>, ServiceViews<?>> services, SwitchReconciler reconciler,
            Starter starter) {
        this.running = new java.util.concurrent.CopyOnWriteArrayList<>(running);
        this.services = services;
        this.reconciler = reconciler;
        this.starter = starter;
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
     * The apps to start for {@code names}, each after the apps providing what it consumes,
     * each once. A consumed service is provided by the one app on the class path that
     * declares it in {@link SwitchboardApp#provides()}.
     *
     * @throws IllegalArgumentException for an unknown name, a service no app or two apps
     *         provide, apps that consume each other's services in a cycle, or two apps with
     *         one cookie number
     */
    public static List<SwitchboardApp> resolve(List<String> names, Map<String, SwitchboardApp> available) {
        Map<String, SwitchboardApp> ordered = new LinkedHashMap<>();
        for (String name : names) {
            SwitchboardApp app = available.get(name);
            if (app == null) {
                throw new IllegalArgumentException("unknown app '" + name + "'; known: "
                        + String.join(", ", available.keySet()));
            }
            visit(app, available.values(), ordered, new ArrayDeque<>());
        }
        checkCookieNumbers(ordered.values());
        return List.copyOf(ordered.values());
    }

    /** Two apps running with one cookie number would take each other's flows for their own. */
    static void checkCookieNumbers(Iterable<SwitchboardApp> apps) {
        Map<Integer, String> numbers = new HashMap<>();
        for (SwitchboardApp app : apps) {
            int number = AppCookies.checkNumber(app.cookieNumber());
            String clash = numbers.putIfAbsent(number, app.name());
            if (clash != null) {
                throw new IllegalArgumentException(String.format(
                        "apps '%s' and '%s' both declare flow cookie number 0x%02x; change one's cookieNumber()",
                        clash, app.name(), number));
            }
        }
    }

    /** One step of a dependency path: {@code app}, reached because its consumer needs {@code service}. */
    private record Step(SwitchboardApp app, Class<?> service) {
    }

    private static void visit(SwitchboardApp app, java.util.Collection<SwitchboardApp> available,
            Map<String, SwitchboardApp> ordered, Deque<Step> path) {
        if (ordered.containsKey(app.name())) {
            return;
        }
        for (Class<?> service : app.consumes()) {
            SwitchboardApp provider = provider(app, service, available);
            if (provider == app || path.stream().anyMatch(step -> step.app() == provider)) {
                throw new IllegalArgumentException("apps consume each other's services in a cycle: "
                        + cycle(path, app, service, provider));
            }
            path.push(new Step(app, service));
            visit(provider, available, ordered, path);
            path.pop();
        }
        ordered.put(app.name(), app);
    }

    private static SwitchboardApp provider(SwitchboardApp consumer, Class<?> service,
            java.util.Collection<SwitchboardApp> available) {
        List<SwitchboardApp> providers = available.stream().filter(a -> a.provides().contains(service)).toList();
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("app '" + consumer.name() + "' consumes " + service.getName()
                    + " but no app on the class path provides it");
        }
        if (providers.size() > 1) {
            throw new IllegalArgumentException("app '" + consumer.name() + "' consumes " + service.getName()
                    + ", which several apps provide: "
                    + String.join(", ", providers.stream().map(SwitchboardApp::name).toList()));
        }
        return providers.get(0);
    }

    /** E.g. "'hosts' needs TopologyService from 'topology' needs HostService from 'hosts'". */
    private static String cycle(Deque<Step> path, SwitchboardApp last, Class<?> service, SwitchboardApp provider) {
        List<Step> steps = new ArrayList<>(path);
        java.util.Collections.reverse(steps);
        steps.add(new Step(last, service));
        int from = 0;
        while (steps.get(from).app() != provider) {
            from++;
        }
        StringBuilder text = new StringBuilder();
        for (Step step : steps.subList(from, steps.size())) {
            text.append("'").append(step.app().name()).append("' needs ")
                    .append(step.service().getSimpleName()).append(" from ");
        }
        return text.append("'").append(provider.name()).append("'").toString();
    }

    /**
     * Starts {@code names} and their requirements, found on {@code loader}'s class path.
     * On failure the apps already started are stopped again and the exception is thrown.
     *
     * @param configs each app's config section by app name
     */
    public static AppRuntime start(Controller controller, List<String> names,
            Function<String, AppConfig> configs, ClassLoader loader) {
        return start(controller.switches(), controller.packetIns(), resolve(names, available(loader)), configs,
                AppFactory.reflective());
    }

    /**
     * Starts {@code apps} as given, in the order given: instances the caller made, passing
     * each the services it consumes through its constructor (tests, with fakes). Apps found by
     * {@link #available} describe themselves only: start them with a factory.
     */
    public static AppRuntime start(SwitchService switches, PacketInService packetIns,
            List<SwitchboardApp> apps, Function<String, AppConfig> configs) {
        return start(switches, packetIns, apps, configs, AppFactory.asGiven());
    }

    /**
     * Starts {@code apps} in the order given ({@link #resolve} orders them), each made by
     * {@code factory} from the instance that describes it.
     */
    public static AppRuntime start(SwitchService switches, PacketInService packetIns,
            List<SwitchboardApp> apps, Function<String, AppConfig> configs, AppFactory factory) {
        checkCookieNumbers(apps);
        Map<Class<?>, ServiceViews<?>> services = new ConcurrentHashMap<>();
        List<RunningApp> started = new ArrayList<>();
        SwitchReconciler reconciler = new SwitchReconciler(switches);
        for (SwitchboardApp described : apps) {
            AppConfig config = configs.apply(described.name());
            DefaultAppContext context = new DefaultAppContext(described, reconciler, packetIns,
                    config == null ? AppConfig.empty("apps." + described.name()) : config, services);
            RunningApp running = null;
            try {
                SwitchboardApp app = factory.create(described, context);
                if (app.getClass() != described.getClass()) {
                    throw new IllegalStateException("the app factory made a " + app.getClass().getName()
                            + " for a " + described.getClass().getName());
                }
                running = new RunningApp(app, context);
                app.start(context);
            } catch (Exception e) {
                // stopped like the others; a context that never reached its app is still closed
                started.add(running != null ? running : new RunningApp(described, context));
                new AppRuntime(started, services, reconciler, null).close();
                if (e instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException("app '" + described.name() + "': " + e.getMessage(), e);
                }
                throw new IllegalStateException("app '" + described.name() + "' failed to start: " + e, e);
            }
            started.add(running);
            reconciler.add(running.app());
            log.info("app {} started (flow cookie {})", described.name(), context.flows().cookie());
        }
        // only now: a switch is reconciled with every app, and announced to all of them at once
        reconciler.arm();
        return new AppRuntime(started, services, reconciler, new Starter(packetIns, configs, factory));
    }

    /**
     * A service a running app published, as the code that started the apps sees it: what is
     * registered on it is removed when the apps stop.
     */
    public <T> java.util.Optional<T> service(Class<T> type) {
        ServiceViews<?> published = services.get(type);
        if (published == null) {
            return java.util.Optional.empty();
        }
        // keyed by what was published: a provider stopped and started again publishes anew
        return java.util.Optional.of(type.cast(ownerViews.computeIfAbsent(published,
                p -> published.viewFor(this::track))));
    }

    private Registration track(Registration registration) {
        ownerRegistrations.add(registration);
        return () -> {
            ownerRegistrations.remove(registration);
            registration.close();
        };
    }

    /**
     * Whether the apps serve {@code sw}: its flows were reconciled and the apps were told of it.
     * Until then its packets pass the apps by.
     */
    public boolean serves(dev.switchboard.controller.OFSwitch sw) {
        return reconciler.isServed(sw);
    }

    /**
     * How often each running app's switch, error and message listeners threw, by app name, in
     * start order. (Its packet-in processors' failures are the controller's
     * {@code ControllerStats.processorFailures()}, under the app's name.)
     */
    public Map<String, Long> listenerFailures() {
        Map<String, Long> byApp = new LinkedHashMap<>();
        for (RunningApp r : running) {
            byApp.put(r.app().name(), r.context().listenerFailures());
        }
        return byApp;
    }

    /**
     * Tells {@code listener} each time {@link #enable} or {@link #disable} changed the running
     * apps, so code that follows the services apps publish (through {@link #service}) can follow
     * the new set: an app enabled is announced after it started and published its services and
     * before it is told of any switch, so nothing it reports from a switch comes before the call;
     * an app disabled is announced once it stopped. Not called for the apps started with the
     * runtime nor when it closes.
     *
     * <p>Threading: called on the thread that enabled or disabled the app, with no lock held; on
     * enabling, while that change is still under way, so the listener must not enable or disable
     * apps itself (that would be refused as a concurrent change). One that throws is logged.
     */
    public Registration addChangeListener(Runnable listener) {
        return changeListeners.add(listener);
    }

    /** The running apps, in start order (the instances that run). */
    public List<SwitchboardApp> running() {
        return running.stream().map(RunningApp::app).toList();
    }

    /**
     * Starts {@code described} while the controller runs. The apps providing what it consumes
     * must run already (it is refused, naming the one to enable first, otherwise: enabling
     * never starts other apps behind the caller's back). Once started, each switch served now
     * is reconciled for it (its flows read back by cookie, its plan written) and then announced
     * to it; switches connecting later are reconciled with it like with every app. Enabling a
     * running app does nothing.
     *
     * @param available every app on the class path, to name a missing provider
     * @return completes when every switch served was announced to the app; on the switches' event loops
     * @throws AppConflictException     when a provider is missing, its cookie number is taken, or another change runs
     * @throws IllegalArgumentException for a bad config section of the app
     * @throws IllegalStateException    when the app fails to start (it is stopped again)
     */
    public java.util.concurrent.CompletableFuture<Void> enable(SwitchboardApp described,
            Map<String, SwitchboardApp> available) {
        if (starter == null) {
            throw new IllegalStateException("this runtime cannot start apps");
        }
        begin();
        try {
            if (find(described.name()) != null) {
                changing.set(false);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            for (Class<?> service : described.consumes()) {
                if (running.stream().noneMatch(r -> r.app().provides().contains(service))) {
                    String provider = available.values().stream().filter(a -> a.provides().contains(service))
                            .map(SwitchboardApp::name).findFirst().orElse(null);
                    throw new AppConflictException("app '" + described.name() + "' consumes " + service.getSimpleName()
                            + (provider == null ? ", which no app on the class path provides"
                                    : " from app '" + provider + "', which is not running: enable '" + provider + "' first"));
                }
            }
            List<SwitchboardApp> together = new ArrayList<>(running());
            together.add(described);
            try {
                checkCookieNumbers(together);
            } catch (IllegalArgumentException e) {
                throw new AppConflictException(e.getMessage());
            }
            AppConfig config = starter.configs().apply(described.name());
            DefaultAppContext context = new DefaultAppContext(described, reconciler, starter.packetIns(),
                    config == null ? AppConfig.empty("apps." + described.name()) : config, services, true);
            SwitchboardApp app = null;
            try {
                app = starter.factory().create(described, context);
                if (app.getClass() != described.getClass()) {
                    throw new IllegalStateException("the app factory made a " + app.getClass().getName()
                            + " for a " + described.getClass().getName());
                }
                app.start(context);
            } catch (Exception e) {
                context.close();
                if (app != null) {
                    try {
                        app.stop();
                    } catch (RuntimeException stop) {
                        e.addSuppressed(stop);
                    }
                }
                if (e instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException("app '" + described.name() + "': " + e.getMessage(), e);
                }
                throw new IllegalStateException("app '" + described.name() + "' failed to start: " + e, e);
            }
            running.add(new RunningApp(app, context));
            reconciler.add(app);
            log.info("app {} enabled (flow cookie {})", described.name(), context.flows().cookie());
            changeListeners.fire("app " + described.name() + " enabled", Runnable::run);
            return reconciler.adopt(app, context::announce).whenComplete((ok, failure) -> changing.set(false));
        } catch (RuntimeException e) {
            changing.set(false);
            throw e;
        }
    }

    /**
     * Stops a running app while the controller runs and deletes its flows from every switch
     * (by its cookie, as {@link #closeAndRemoveFlows()} does: an app switched off leaves no
     * flows behind that nobody maintains); a switch connecting later has them deleted as
     * flows of an app not running. Everything it registered goes with it. Disabling an app
     * that does not run does nothing.
     *
     * @return completes when the switches confirmed the deletion
     * @throws AppConflictException when running apps consume what it provides (named), or another change runs
     */
    public java.util.concurrent.CompletableFuture<Void> disable(String name) {
        begin();
        java.util.concurrent.CompletableFuture<Void> removal;
        try {
            RunningApp r = find(name);
            if (r == null) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            List<String> consumers = running.stream().filter(other -> other != r)
                    .filter(other -> other.app().consumes().stream().anyMatch(r.app().provides()::contains))
                    .map(other -> other.app().name()).toList();
            if (!consumers.isEmpty()) {
                throw new AppConflictException("app '" + name + "' provides " + r.app().provides().stream()
                        .map(Class::getSimpleName).toList() + " to running apps " + consumers + ": disable them first");
            }
            reconciler.remove(r.app());
            r.context().close();
            try {
                r.app().stop();
            } catch (RuntimeException e) {
                log.warn("app {} failed to stop cleanly", name, e);
            }
            running.remove(r);
            ownerViews.keySet().retainAll(services.values());
            log.info("app {} disabled; deleting its flows", name);
            removal = r.context().flows().removeAll();
        } finally {
            changing.set(false);
        }
        changeListeners.fire("app " + name + " disabled", Runnable::run);
        return removal;
    }

    private void begin() {
        if (!changing.compareAndSet(false, true)) {
            throw new AppConflictException("another app is being enabled or disabled; try again when it is done");
        }
    }

    private RunningApp find(String name) {
        return running.stream().filter(r -> r.app().name().equals(name)).findFirst().orElse(null);
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
        ownerRegistrations.forEach(Registration::close);
        ownerRegistrations.clear();
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
