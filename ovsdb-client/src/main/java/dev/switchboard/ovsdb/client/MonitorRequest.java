package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.ops.Condition;
import java.util.List;

/**
 * What to monitor in one table (RFC 7047 4.1.5; {@code where} needs {@code monitor_cond}).
 *
 * @param columns the columns to receive; empty means all
 * @param where   conditions a row must meet to be sent (monitor_cond only); empty means all rows
 */
public record MonitorRequest(List<String> columns, List<Condition> where) {

    public MonitorRequest {
        columns = List.copyOf(columns);
        where = List.copyOf(where);
    }

    public static MonitorRequest allColumns() {
        return new MonitorRequest(List.of(), List.of());
    }

    public static MonitorRequest columns(String... columns) {
        return new MonitorRequest(List.of(columns), List.of());
    }
}
