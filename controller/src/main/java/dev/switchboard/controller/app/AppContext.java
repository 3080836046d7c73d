package dev.switchboard.controller.app;

import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What an app sees of the controller. Registrations made through it are removed when the
 * app stops.
 */
public interface AppContext {

    /** The app's own name. */
    String appName();

    /** The connected switches and their events; listeners added here go when the app stops. */
    SwitchService switches();

    /**
     * Puts the app's processor into the packet-in pipeline at the app's
     * {@link SwitchboardApp#pipelineOrder()}. It runs on the event loop of the switch that
     * sent the packet: it must not block. An exception is logged and the packet goes on to
     * the next processor.
     */
    Registration addPacketInProcessor(PacketInProcessor processor);

    /** The app's flow cookie and clean-up. */
    AppFlows flows();

    /** The app's section of the configuration (empty when there is none). */
    AppConfig config();

    /**
     * A service published by an app this one {@linkplain SwitchboardApp#requires() requires}.
     *
     * @throws IllegalStateException when no started app published one
     */
    <T> T service(Class<T> type);

    /** Makes {@code service} available to apps started after this one. */
    <T> void publish(Class<T> type, T service);

    /**
     * A single timer thread shared by apps, for periodic work (probes, expiry). Tasks must be
     * short; tasks scheduled through it are cancelled when the app stops.
     */
    ScheduledExecutorService scheduler();
}
