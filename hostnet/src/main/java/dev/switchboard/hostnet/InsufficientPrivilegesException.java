package dev.switchboard.hostnet;

/** A change was refused before it was tried because this process may not change host networking. */
public class InsufficientPrivilegesException extends HostNetworkException {

    public InsufficientPrivilegesException(String message) {
        super(message);
    }
}
