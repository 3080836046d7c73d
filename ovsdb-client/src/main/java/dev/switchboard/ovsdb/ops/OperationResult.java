package dev.switchboard.ovsdb.ops;

import dev.switchboard.ovsdb.data.Row;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What one operation of a successful transaction returned (RFC 7047 section 5.2).
 *
 * @param operation the operation
 * @param uuid      the new row's uuid for an {@link Insert}, else null
 * @param rows      the rows of a {@link Select}, else null
 * @param count     the rows matched by an {@link Update}, {@link Mutate} or {@link Delete}, else null
 */
public record OperationResult(Operation operation, UUID uuid, List<Row> rows, Long count) {

    public OperationResult {
        Objects.requireNonNull(operation, "operation");
        rows = rows == null ? null : List.copyOf(rows);
    }
}
