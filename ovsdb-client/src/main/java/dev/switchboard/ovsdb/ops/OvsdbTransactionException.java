package dev.switchboard.ovsdb.ops;

/**
 * The server refused a transaction: an operation failed, or the commit did (a referential
 * integrity or constraint violation found only then). Nothing of the transaction was applied.
 */
public class OvsdbTransactionException extends RuntimeException {

    private final int operationIndex;
    private final transient Operation operation;
    private final String error;
    private final String details;

    /**
     * @param operationIndex the failed operation's index; the number of operations for a
     *                       commit-time failure
     * @param operation      the failed operation, or null for a commit-time failure
     * @param error          OVSDB's short error, e.g. {@code "constraint violation"}
     * @param details        OVSDB's explanation, or null
     */
    public OvsdbTransactionException(int operationIndex, Operation operation, String error, String details) {
        super(message(operationIndex, operation, error, details));
        this.operationIndex = operationIndex;
        this.operation = operation;
        this.error = error;
        this.details = details;
    }

    /** The failed operation's index, or the number of operations if the commit failed. */
    public int operationIndex() {
        return operationIndex;
    }

    /** The failed operation, or null if the commit failed. */
    public Operation operation() {
        return operation;
    }

    /** OVSDB's error, e.g. {@code "referential integrity violation"}. */
    public String error() {
        return error;
    }

    /** OVSDB's details, or null. */
    public String details() {
        return details;
    }

    private static String message(int index, Operation operation, String error, String details) {
        String where = operation == null
                ? "transaction failed at commit (after " + index + " operations)"
                : "operation " + index + " (" + TransactionCodec.describe(operation) + ") failed";
        return where + ": " + error + (details == null ? "" : ": " + details);
    }
}
