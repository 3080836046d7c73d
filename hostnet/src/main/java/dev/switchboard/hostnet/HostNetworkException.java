package dev.switchboard.hostnet;

/**
 * A host networking operation was refused or failed. The message names the object (link, namespace, address), the
 * operation and the reason. Subclasses tell the reasons apart where a caller may want to react differently.
 */
public class HostNetworkException extends RuntimeException {

    public HostNetworkException(String message) {
        super(message);
    }

    public HostNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
