package dev.switchboard.controller.app;

/**
 * An app cannot be enabled or disabled while the controller runs, as things stand: a provider it
 * needs is not running, running apps consume what it provides, its cookie number is taken, or
 * another change is under way. The message names the apps in the way.
 */
public final class AppConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AppConflictException(String message) {
        super(message);
    }
}
