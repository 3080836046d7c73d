package dev.switchboard.controller.app;

import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What an app sees of the controller. Registrations made through it, and on the services
 * it consumes, are removed when the app stops.
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
     * The view of a service this app {@linkplain SwitchboardApp#consumes() consumes}, published
     * by the app that provides it. What the app registers on it goes when the app stops.
     *
     * @throws IllegalStateException when the app does not declare {@code type} in consumes()
     */
    <T> T service(Class<T> type);

    /**
     * Makes {@code service}, which this app {@linkplain SwitchboardApp#provides() provides},
     * available to the apps that consume it, all as the same object: for a service on which
     * nothing is registered. A service with listeners uses {@link #publishViews} instead.
     */
    default <T> void publish(Class<T> type, T service) {
        publishViews(type, ServiceViews.shared(service));
    }

    /**
     * Makes a service this app {@linkplain SwitchboardApp#provides() provides} available: each
     * consuming app gets its own view, which hands the registrations it makes to the context
     * of that app, so they are removed when that app stops.
     *
     * @throws IllegalStateException when the app does not declare {@code type} in provides(),
     *         or already published it
     */
    <T> void publishViews(Class<T> type, ServiceViews<T> views);

    /**
     * A single timer thread shared by apps, for periodic work (probes, expiry). Tasks must be
     * short; tasks scheduled through it are cancelled when the app stops.
     */
    ScheduledExecutorService scheduler();
}
