package dev.switchboard.ovsdb.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Waits until the {@code columns} of the rows matching {@code where} equal (or differ from)
 * {@code rows} (RFC 7047 5.2.6), failing with "timed out" after {@code timeoutMillis}.
 *
 * @param table         the table
 * @param where         conditions selecting the rows compared
 * @param columns       the columns compared
 * @param untilEqual    true for {@code "until": "=="}, false for {@code "!="}
 * @param rows          the expected rows, each holding exactly (a subset of) {@code columns}
 * @param timeoutMillis how long the server waits, or null for as long as it takes; 0 checks once
 */
public record Wait(String table, List<Condition> where, List<String> columns, boolean untilEqual,
                   List<Map<String, Object>> rows, Long timeoutMillis) implements Operation {

    public Wait {
        Objects.requireNonNull(table, "table");
        where = List.copyOf(where);
        columns = List.copyOf(columns);
        rows = rows.stream().map(row -> Collections.unmodifiableMap(new LinkedHashMap<>(row))).toList();
        if (timeoutMillis != null && timeoutMillis < 0) {
            throw new IllegalArgumentException("negative timeout " + timeoutMillis);
        }
    }

    @Override
    public String op() {
        return "wait";
    }
}
