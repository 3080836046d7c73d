package dev.switchboard.controller;

import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.errormsg.OFExperimenterErrorMsg;

/**
 * An OpenFlow ERROR from a switch, decoded.
 *
 * @param message the ERROR as received
 * @param type    the error type, e.g. {@code FLOW_MOD_FAILED}
 * @param code    the type-specific code, e.g. {@code TABLE_FULL}
 * @param cause   the message that caused it, parsed from the bytes the switch echoes back
 *                (OpenFlow echoes at least the first 64 bytes), when they parse
 */
public record SwitchError(OFErrorMsg message, String type, String code, Optional<OFMessage> cause) {

    public SwitchError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(cause, "cause");
    }

    public static SwitchError of(OFErrorMsg message) {
        return new SwitchError(message, message.getErrType().name(), codeOf(message), causeOf(message));
    }

    public long xid() {
        return message.getXid();
    }

    @Override
    public String toString() {
        return type + "/" + code + cause.map(c -> " caused by " + c.getType() + " xid=" + c.getXid()).orElse("");
    }

    /**
     * Each openflowj error subtype has its own {@code getCode()} returning its own enum, with
     * no shared interface; asking for it by name keeps this one method instead of a branch
     * per subtype. Errors are rare, so the reflective call costs nothing that matters.
     */
    private static String codeOf(OFErrorMsg message) {
        if (message instanceof OFExperimenterErrorMsg experimenter) {
            return String.format("experimenter 0x%08x subtype %d", experimenter.getExperimenter(), experimenter.getSubtype());
        }
        for (Class<?> type : message.getClass().getInterfaces()) {
            try {
                return String.valueOf(type.getMethod("getCode").invoke(message));
            } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
                // the implementation classes are package-private: ask the public interface
            }
        }
        return "unknown";
    }

    private static Optional<OFMessage> causeOf(OFErrorMsg message) {
        try {
            return Optional.ofNullable(message.getData().getParsedMessage().orNull());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
