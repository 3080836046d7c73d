package dev.switchboard.controller.app;

import dev.switchboard.controller.Registration;

/**
 * The registrations of one consuming app: a service published with {@link ServiceViews}
 * hands each registration an app makes on it to this, and the app's context closes them all
 * when the app stops.
 */
@FunctionalInterface
public interface Registrations {

    /**
     * Remembers {@code registration} until the app stops.
     *
     * @return a handle that, closed early, unregisters and forgets it
     */
    Registration track(Registration registration);
}
