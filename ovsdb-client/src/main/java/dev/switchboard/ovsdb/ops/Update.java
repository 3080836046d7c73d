package dev.switchboard.ovsdb.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets columns of the matching rows (RFC 7047 5.2.3). Only mutable columns may be given.
 *
 * @param table the table
 * @param where conditions all matching rows meet (empty: every row)
 * @param row   the new column values, in any form {@code DatumCodec} accepts
 */
public record Update(String table, List<Condition> where, Map<String, Object> row) implements Operation {

    public Update {
        Objects.requireNonNull(table, "table");
        where = List.copyOf(where);
        row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }

    @Override
    public String op() {
        return "update";
    }
}
