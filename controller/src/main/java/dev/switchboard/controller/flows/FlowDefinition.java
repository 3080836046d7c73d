package dev.switchboard.controller.flows;

import java.util.List;
import java.util.Objects;

/**
 * One flow as written, before it meets an OpenFlow version: the {@code ovs-ofctl add-flows}
 * vocabulary, whichever format it came in (a text line or a JSON object).
 *
 * @param where    {@code line N} or {@code flow N}, for error messages
 * @param position N of {@code where}: the 1-based line a text flow starts on, or the 1-based
 *                 position of a JSON flow in its array
 * @param text     the flow as written: the text line (comment removed, continued lines joined),
 *                 or the JSON object, compact
 * @param fields   the non-action fields in order: {@code priority=100}, {@code nw_dst=10.0.0.0/24},
 *                 and bare shorthands such as {@code tcp} (value null)
 * @param actions  the actions in order, each as ovs-ofctl writes it: {@code output:2},
 *                 {@code mod_dl_dst:00:00:00:00:00:01}, {@code drop}; empty means drop
 */
public record FlowDefinition(String where, int position, String text, List<Field> fields, List<String> actions) {

    /** {@code key=value}, or a bare keyword with a null value. */
    public record Field(String key, String value) {
        public Field {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return value == null ? key : key + "=" + value;
        }
    }

    public FlowDefinition {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(text, "text");
        fields = List.copyOf(fields);
        actions = List.copyOf(actions);
    }

    /** A flow made in code: its text is the fields and actions in the text format. */
    public FlowDefinition(String where, List<Field> fields, List<String> actions) {
        this(where, 0, render(fields, actions), fields, actions);
    }

    private static String render(List<Field> fields, List<String> actions) {
        StringBuilder text = new StringBuilder();
        for (Field field : fields) {
            text.append(field).append(',');
        }
        return text.append("actions=").append(actions.isEmpty() ? "drop" : String.join(",", actions)).toString();
    }
}
