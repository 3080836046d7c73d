package dev.switchboard.ovsdb.ops;

import dev.switchboard.ovsdb.data.NamedUuid;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Inserts a row (RFC 7047 5.2.1). Columns left out get their default values.
 *
 * @param table    the table
 * @param row      column values in any form {@code DatumCodec} accepts, in order
 * @param uuidName a name other operations of the transaction use to refer to the new row (see
 *                 {@link #ref()}), or null
 */
public record Insert(String table, Map<String, Object> row, String uuidName) implements Operation {

    public Insert {
        Objects.requireNonNull(table, "table");
        // A copy that keeps order (for the JSON) and tolerates nulls, so that the codec can
        // report a null with its column's name.
        row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
        if (uuidName != null && !NamedUuid.isValidName(uuidName)) {
            throw new IllegalArgumentException("uuid-name '" + uuidName
                    + "' is not an OVSDB id (a letter or _, then letters, digits or _)");
        }
    }

    public Insert(String table, Map<String, Object> row) {
        this(table, row, null);
    }

    /** A reference to the inserted row, for other operations of the same transaction. */
    public NamedUuid ref() {
        if (uuidName == null) {
            throw new IllegalStateException("insert into " + table + " has no uuid-name");
        }
        return new NamedUuid(uuidName);
    }

    @Override
    public String op() {
        return "insert";
    }
}
