package dev.switchboard.controller.app;

import dev.switchboard.controller.ControllerRole;
import dev.switchboard.controller.MessageListener;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.PacketInService;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchErrorListener;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.SwitchService;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;

/** One app's view of the controller; remembers every registration so that stopping undoes them. */
final class DefaultAppContext implements AppContext, AutoCloseable {
    private final SwitchboardApp app;
    private final SwitchReconciler reconciler;
    private final SwitchService switchesDelegate;
    private final SwitchService switches;
    private final PacketInService packetIns;
    private final AppConfig config;
    /** Every running app's published services, shared by the contexts. */
    private final Map<Class<?>, ServiceViews<?>> services;
    /** This app's views of the services it consumes, made once each. */
    private final Map<Class<?>, Object> views = new java.util.concurrent.ConcurrentHashMap<>();
    private final AppFlows flows;
    private final ListenerFailures listenerFailures = new ListenerFailures();
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    /**
     * Started at run time, after switches were served: its switch listeners hear each connection
     * once, from {@link #announce} or from the controller, whichever comes first.
     */
    private final boolean late;
    private final List<OncePerConnection> lateListeners = new CopyOnWriteArrayList<>();
    /** Made on first use; set by compare-and-set, so asking for it on an event loop takes no lock. */
    private final AtomicReference<ScheduledExecutorService> scheduler = new AtomicReference<>();

    /**
     * @param switches the controller's switches as the apps see them: announced once reconciled
     */
    DefaultAppContext(SwitchboardApp app, SwitchReconciler switches, PacketInService packetIns,
            AppConfig config, Map<Class<?>, ServiceViews<?>> services) {
        this(app, switches, packetIns, config, services, false);
    }

    /** @param late the app starts while the controller runs (see {@link #announce}) */
    DefaultAppContext(SwitchboardApp app, SwitchReconciler switches, PacketInService packetIns,
            AppConfig config, Map<Class<?>, ServiceViews<?>> services, boolean late) {
        this.late = late;
        this.app = app;
        this.reconciler = switches;
        this.switchesDelegate = switches;
        this.switches = new TrackedSwitches();
        this.packetIns = packetIns;
        this.config = config;
        this.services = services;
        this.flows = new CookieFlows(AppCookies.cookie(app), switches);
    }

    @Override
    public String appName() {
        return app.name();
    }

    @Override
    public SwitchService switches() {
        return switches;
    }

    @Override
    public Registration addPacketInProcessor(PacketInProcessor processor) {
        // a switch's packets reach the app only once its flows are reconciled and it was announced
        return track(packetIns.addProcessor(app.name(), app.pipelineOrder(), reconciler.gate(processor)));
    }

    @Override
    public AppFlows flows() {
        return flows;
    }

    @Override
    public AppConfig config() {
        return config;
    }

    @Override
    public <T> T service(Class<T> type) {
        if (!app.consumes().contains(type)) {
            throw new IllegalStateException("app '" + app.name() + "' uses a " + type.getName()
                    + " but does not declare it in consumes()");
        }
        return type.cast(views.computeIfAbsent(type, wanted -> {
            ServiceViews<?> published = services.get(wanted);
            if (published == null) {
                throw new IllegalStateException("app '" + app.name() + "' consumes a " + wanted.getName()
                        + " but no app started before it published one");
            }
            return published.viewFor(this::track);
        }));
    }

    @Override
    public <T> void publishViews(Class<T> type, ServiceViews<T> serviceViews) {
        if (!app.provides().contains(type)) {
            throw new IllegalStateException("app '" + app.name() + "' publishes a " + type.getName()
                    + " but does not declare it in provides()");
        }
        Object before = services.putIfAbsent(type, serviceViews);
        if (before != null) {
            throw new IllegalStateException("a " + type.getName() + " is already published");
        }
        track(() -> services.remove(type, serviceViews));
    }

    @Override
    public ScheduledExecutorService scheduler() {
        ScheduledExecutorService existing = scheduler.get();
        if (existing != null) {
            return existing;
        }
        // its thread starts with the first task, so the one that loses a race costs no thread
        ScheduledExecutorService made = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "app-" + app.name());
            thread.setDaemon(true);
            return thread;
        });
        if (scheduler.compareAndSet(null, made)) {
            return made;
        }
        made.shutdownNow();
        return scheduler.get();
    }

    /** How often the app's switch, error and message listeners threw. */
    long listenerFailures() {
        return listenerFailures.count();
    }

    Registration track(Registration registration) {
        registrations.add(registration);
        return () -> {
            registrations.remove(registration);
            registration.close();
        };
    }

    /**
     * Tells a late app's switch listeners of {@code sw}, served before the app started (after
     * it was reconciled for the app). A listener that heard of the connection already is not
     * told again.
     */
    void announce(OFSwitch sw) {
        lateListeners.forEach(l -> l.switchAdded(sw));
    }

    /** Removes everything the app registered and stops its timer. */
    @Override
    public void close() {
        ScheduledExecutorService timer = scheduler.get();
        if (timer != null) {
            timer.shutdownNow();
        }
        for (Registration registration : registrations) {
            registration.close();
        }
        registrations.clear();
    }

    /** The controller's switch service, with the app's listeners tracked. */
    private final class TrackedSwitches implements SwitchService {
        @Override
        public Collection<OFSwitch> switches() {
            return switchesDelegate.switches();
        }

        @Override
        public Optional<OFSwitch> getSwitch(DatapathId id) {
            return switchesDelegate.getSwitch(id);
        }

        @Override
        public Registration addSwitchListener(SwitchListener listener) {
            if (!late) {
                return track(switchesDelegate.addSwitchListener(listenerFailures.wrap(listener)));
            }
            OncePerConnection once = new OncePerConnection(listenerFailures.wrap(listener));
            lateListeners.add(once);
            Registration registration = switchesDelegate.addSwitchListener(once);
            return track(() -> {
                lateListeners.remove(once);
                registration.close();
            });
        }

        @Override
        public Registration addErrorListener(SwitchErrorListener listener) {
            return track(switchesDelegate.addErrorListener(listenerFailures.wrap(listener)));
        }

        @Override
        public Registration addMessageListener(OFType type, MessageListener listener) {
            return track(switchesDelegate.addMessageListener(type, listenerFailures.wrap(listener)));
        }
    }

    /**
     * A late app's switch listener: {@code switchAdded} once per connection (from the controller
     * or from {@link #announce}), the other events only for a connection it was told of.
     */
    private static final class OncePerConnection implements SwitchListener {
        private final SwitchListener listener;
        private final java.util.Set<OFSwitch> told = java.util.concurrent.ConcurrentHashMap.newKeySet();

        OncePerConnection(SwitchListener listener) {
            this.listener = listener;
        }

        @Override
        public void switchAdded(OFSwitch sw) {
            if (told.add(sw)) {
                listener.switchAdded(sw);
            }
        }

        @Override
        public void switchRemoved(OFSwitch sw) {
            if (told.remove(sw)) {
                listener.switchRemoved(sw);
            }
        }

        @Override
        public void switchRoleChanged(OFSwitch sw, ControllerRole role) {
            if (told.contains(sw)) {
                listener.switchRoleChanged(sw, role);
            }
        }

        @Override
        public void portAdded(OFSwitch sw, org.projectfloodlight.openflow.protocol.OFPortDesc port) {
            if (told.contains(sw)) {
                listener.portAdded(sw, port);
            }
        }

        @Override
        public void portChanged(OFSwitch sw, org.projectfloodlight.openflow.protocol.OFPortDesc before,
                org.projectfloodlight.openflow.protocol.OFPortDesc after) {
            if (told.contains(sw)) {
                listener.portChanged(sw, before, after);
            }
        }

        @Override
        public void portRemoved(OFSwitch sw, org.projectfloodlight.openflow.protocol.OFPortDesc port) {
            if (told.contains(sw)) {
                listener.portRemoved(sw, port);
            }
        }
    }
}
