package dev.switchboard.controller.app;

import java.util.List;

/**
 * An app: found through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.switchboard.controller.app.SwitchboardApp}), enabled by
 * {@link #name()} on the command line ({@code --apps}) or in the config file's {@code apps:}
 * section, and given only services through its {@link AppContext}; never a socket.
 *
 * <p>A new instance is made for every run; {@link #start} is called once, then
 * {@link #stop} once. Everything registered through the context (processors, listeners,
 * timers) is removed after {@code stop}, and the app's flows are deleted from the switches.
 */
public interface SwitchboardApp {

    /** The app's name: lower-case words joined by {@code -}, e.g. {@code l2-learning}. */
    String name();

    /** One line for {@code --help} and the logs. */
    default String description() {
        return "";
    }

    /** Apps that must run first (they usually publish services this app uses); started with it. */
    default List<String> requires() {
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

    /** Stops the app; the context's registrations are removed afterwards in any case. */
    default void stop() {
    }
}
