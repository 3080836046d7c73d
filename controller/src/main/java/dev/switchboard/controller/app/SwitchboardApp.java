package dev.switchboard.controller.app;

import dev.switchboard.controller.OFSwitch;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;

/**
 * An app: found through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.switchboard.controller.app.SwitchboardApp}), enabled by
 * {@link #name()} on the command line ({@code --apps}) or in the config file's {@code apps:}
 * section, and given only services through its {@link AppContext}; never a socket.
 *
 * <p>The instance {@link java.util.ServiceLoader} makes (public no-argument constructor)
 * describes the app: name, cookie number, what it provides and consumes. The instance that
 * runs is made for every run from the constructor marked {@link jakarta.inject.Inject}, given
 * the services the app {@linkplain #consumes() consumes} (and, if it asks, its
 * {@link AppContext}); an app without one runs as the described instance. {@link #start} is
 * called once, then {@link #stop} once. Everything registered through the context
 * (processors, listeners, timers) and on services other apps published is removed after
 * {@code stop}: an app never unregisters by hand. The app's flows stay on the switches: when a switch
 * connects (again, or to a restarted controller) the app {@linkplain #reconcile reconciles}
 * them before it serves the switch, so a controller restart does not interrupt traffic.
 */
public interface SwitchboardApp {

    /** The app's name: lower-case words joined by {@code -}, e.g. {@code l2-learning}. */
    String name();

    /** One line for {@code --help} and the logs. */
    default String description() {
        return "";
    }

    /**
     * The app's flow-cookie number, 1 to 255: the byte after "SB" in every cookie of its flows
     * ({@link AppCookies}). The app owns it, not the controller: it must stay the same from
     * release to release, or the flows a running switch holds stop being recognised as the
     * app's. The built-in apps use 0x01 to 0x7F; other apps pick from 0x80 up. Two apps that
     * run together with one number are refused at start.
     */
    int cookieNumber();

    /**
     * The services this app publishes ({@link AppContext#publish}); apps that
     * {@linkplain #consumes() consume} one start after it.
     */
    default List<Class<?>> provides() {
        return List.of();
    }

    /**
     * The services this app uses: the apps providing them are started with it, before it, and
     * it receives them through its {@code @Inject} constructor or {@link AppContext#service}.
     */
    default List<Class<?>> consumes() {
        return List.of();
    }

    /**
     * Where the app's packet-in processor sits in the pipeline: lower sees packets first.
     * See {@link PipelineOrder} for the built-in apps' positions.
     */
    default int pipelineOrder() {
        return PipelineOrder.DEFAULT;
    }

    /**
     * Starts the app. Runs on the starting thread, before switches are accepted; it may block
     * briefly. An exception stops the whole start, and apps already started are stopped.
     */
    void start(AppContext context) throws Exception;

    /**
     * Says what to do with the flows of this app that a switch holds when it connects (flows
     * of an earlier run, or of this run before the switch reconnected): called once per
     * connection, after {@link #start}, on the switch's event loop (do not block), before the
     * app's switch listeners hear {@code switchAdded} and before its packet-in processor sees
     * the switch's packets. The app may rebuild its state from the flows here (a learning
     * switch its MAC table), but should keep it aside until {@code switchAdded} for this very
     * connection: the plan is applied first (in chunks, each confirmed by a barrier), and a
     * connection that closes meanwhile is never announced, so no {@code switchRemoved} comes
     * for it either. Whatever the plan keeps goes on carrying traffic; nothing is flushed.
     *
     * <p>The default keeps every flow whose in-port and output ports are all still on the
     * switch and up ({@link FlowEntries#portsLive}) and deletes the others: a flow naming a
     * port that went can only drop traffic, while the rest expire by their own timeouts or
     * are replaced in place when the app adds an identical flow.
     *
     * @param flows the app's flows on the switch, read back by cookie (any tag)
     * @return the plan; {@code null} keeps everything
     */
    default FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
        java.util.Map<org.projectfloodlight.openflow.types.OFPort, org.projectfloodlight.openflow.protocol.OFPortDesc> ports
                = sw.ports();
        return FlowPlan.sort(flows, flow -> FlowEntries.portsLive(ports, flow));
    }

    /** Stops the app; the context's registrations are removed afterwards in any case. */
    default void stop() {
    }
}
