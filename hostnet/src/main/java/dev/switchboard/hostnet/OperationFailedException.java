package dev.switchboard.hostnet;

import java.util.List;

/**
 * The kernel refused a change that passed validation, or the tool applying it failed. The message names the object,
 * the operation and the kernel's own words ({@link #kernelMessage()}). Changes of the same request that had already
 * been applied were rolled back; {@link #rollbackFailures()} lists what could not be undone (normally empty).
 */
public class OperationFailedException extends HostNetworkException {

    private final String operation;
    private final String kernelMessage;
    private final List<String> rollbackFailures;

    public OperationFailedException(String operation, String kernelMessage, List<String> rollbackFailures,
            String message) {
        super(message);
        this.operation = operation;
        this.kernelMessage = kernelMessage;
        this.rollbackFailures = List.copyOf(rollbackFailures);
    }

    /** What was being done, e.g. {@code "add address 10.0.8.1/24 to link 'h1-eth0' in namespace 'h1'"}. */
    public String operation() {
        return operation;
    }

    /** The error text reported by the kernel or iproute2, e.g. {@code "RTNETLINK answers: File exists"}. */
    public String kernelMessage() {
        return kernelMessage;
    }

    /** Earlier changes of the same request that rollback could not undo, each with its reason. */
    public List<String> rollbackFailures() {
        return rollbackFailures;
    }
}
