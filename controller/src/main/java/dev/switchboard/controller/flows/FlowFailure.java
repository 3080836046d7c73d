package dev.switchboard.controller.flows;

import java.util.Objects;

/**
 * One flow the switch refused.
 *
 * @param index  the flow's position in the input list (0-based)
 * @param type   the OpenFlow error type, e.g. {@code FLOW_MOD_FAILED}
 * @param code   the type-specific code, e.g. {@code TABLE_FULL}
 * @param detail a readable line (the flow-mod as openflowj prints it, shortened)
 */
public record FlowFailure(int index, String type, String code, String detail) {
    public FlowFailure {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
    }
}
