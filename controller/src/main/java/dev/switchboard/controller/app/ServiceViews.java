package dev.switchboard.controller.app;

/**
 * How a published service ({@link AppContext#publishViews}) is handed to each app that consumes it: a view that works on the
 * service and passes every {@link dev.switchboard.controller.Registration} the consumer makes
 * (listeners, usually) to the consumer's {@link Registrations}, so they go when the consumer
 * stops and no app unregisters by hand. Queries should go straight to the service: a view
 * sits on the packet path.
 */
@FunctionalInterface
public interface ServiceViews<T> {

    /** The view of the service for one consuming app; called once per consumer. */
    T viewFor(Registrations consumer);

    /** The same object for every consumer: for a service on which nothing is registered. */
    static <T> ServiceViews<T> shared(T service) {
        return consumer -> service;
    }
}
