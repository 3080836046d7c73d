package dev.switchboard.ovsdb.data;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A reference to a row inserted earlier or later in the same transaction, by the
 * {@code uuid-name} its "insert" gave it: JSON {@code ["named-uuid", name]}. It may stand
 * wherever a uuid may (a uuid column's keys or values, conditions, mutations); the server
 * replaces it with the new row's uuid. Only in values we send: the server never returns one.
 *
 * @param name an RFC 7047 {@code <id>}: {@code [a-zA-Z_][a-zA-Z0-9_]*}
 */
public record NamedUuid(String name) {

    private static final Pattern ID = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public NamedUuid {
        Objects.requireNonNull(name, "name");
        if (!ID.matcher(name).matches()) {
            throw new IllegalArgumentException("uuid-name '" + name
                    + "' is not an OVSDB id (a letter or _, then letters, digits or _)");
        }
    }

    /** Whether {@code name} is a valid uuid-name. */
    public static boolean isValidName(String name) {
        return name != null && ID.matcher(name).matches();
    }

    /**
     * Every {@code NamedUuid} in a column value (an atom, a collection of atoms or a map), so a
     * transaction can check that each names a row it inserts: ovsdb-server would instead invent
     * a uuid for an unknown name and fail later with a puzzling referential-integrity error.
     */
    public static Set<NamedUuid> referencedBy(Object value) {
        Set<NamedUuid> found = new LinkedHashSet<>();
        collect(value, found);
        return found;
    }

    private static void collect(Object value, Set<NamedUuid> found) {
        if (value instanceof NamedUuid named) {
            found.add(named);
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(element -> collect(element, found));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                collect(k, found);
                collect(v, found);
            });
        }
    }

    @Override
    public String toString() {
        return "named-uuid " + name;
    }
}
