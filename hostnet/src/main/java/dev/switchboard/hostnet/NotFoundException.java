package dev.switchboard.hostnet;

/** A request was refused because a namespace, link or address it refers to does not exist. */
public class NotFoundException extends HostNetworkException {

    public NotFoundException(String message) {
        super(message);
    }
}
