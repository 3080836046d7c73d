package dev.switchboard.hostnet;

/** A request was refused before anything was changed because it would create a name that is already taken. */
public class AlreadyExistsException extends HostNetworkException {

    public AlreadyExistsException(String message) {
        super(message);
    }
}
