package dev.switchboard.hostnet;

/**
 * A request was refused before anything was changed because one of its values is malformed or out of range: an
 * interface or namespace name the kernel would not accept, an address that does not parse, an MTU outside the
 * device's range, a bridge that is not a bridge.
 */
public class InvalidRequestException extends HostNetworkException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
