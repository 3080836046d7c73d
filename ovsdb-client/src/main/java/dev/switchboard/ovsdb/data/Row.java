package dev.switchboard.ovsdb.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A row, or the selected or monitored part of one: column values in the representation
 * {@link DatumCodec} documents (an atom for a scalar column, a {@code Set} for optional and set
 * columns, a {@code Map} for map columns). Immutable.
 *
 * <p>The typed getters fail loudly instead of guessing: a column that is absent (not selected,
 * not monitored) throws {@link NoSuchElementException}, and a value of another shape throws
 * {@link ClassCastException} naming the column and the getter to use.
 *
 * @param uuid    the row's {@code _uuid}, or null when it is not known (a select without it)
 * @param columns column values by name, insertion ordered; no nulls
 */
public record Row(UUID uuid, Map<String, Object> columns) {

    public Row {
        Map<String, Object> copy = new LinkedHashMap<>();
        columns.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "column name"),
                Objects.requireNonNull(value, () -> "column " + name + " is null; empty values are Set.of() or Map.of()")));
        columns = Collections.unmodifiableMap(copy);
    }

    /** The value of {@code column}, or null if the row does not have it. {@code _uuid} is {@link #uuid} if not a column. */
    public Object get(String column) {
        Object value = columns.get(column);
        if (value == null && "_uuid".equals(column)) {
            return uuid;
        }
        return value;
    }

    /** Whether {@link #get} has a value for {@code column}. */
    public boolean has(String column) {
        return get(column) != null;
    }

    /** A scalar string column. */
    public String getString(String column) {
        return scalar(column, String.class);
    }

    /** A scalar integer column. */
    public long getLong(String column) {
        return scalar(column, Long.class);
    }

    /** A scalar real column. */
    public double getDouble(String column) {
        return scalar(column, Double.class);
    }

    /** A scalar boolean column. */
    public boolean getBoolean(String column) {
        return scalar(column, Boolean.class);
    }

    /** A scalar uuid column, or {@code _uuid}. */
    public UUID getUuid(String column) {
        return scalar(column, UUID.class);
    }

    /**
     * A set (or optional) column whose atoms are all {@code type}s ({@code Long}, not
     * {@code Integer}, for integers).
     */
    @SuppressWarnings("unchecked")
    public <T> Set<T> getSet(String column, Class<T> type) {
        Object value = require(column);
        if (!(value instanceof Set<?> set)) {
            throw new ClassCastException(mismatch(column, value, "a Set") + "; use a scalar getter");
        }
        for (Object element : set) {
            checkElement(column, element, type);
        }
        return (Set<T>) set;
    }

    /** A map column whose keys are {@code keyType}s and values {@code valueType}s. */
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> getMap(String column, Class<K> keyType, Class<V> valueType) {
        Object value = require(column);
        if (!(value instanceof Map<?, ?> map)) {
            throw new ClassCastException(mismatch(column, value, "a Map"));
        }
        map.forEach((k, v) -> {
            checkElement(column, k, keyType);
            checkElement(column, v, valueType);
        });
        return (Map<K, V>) map;
    }

    /**
     * An optional (0..1) column: empty or its one atom. A scalar column's atom is accepted too.
     *
     * @throws IllegalStateException if the column holds more than one atom
     */
    public <T> Optional<T> getOptional(String column, Class<T> type) {
        Object value = require(column);
        if (value instanceof Set<?> set) {
            if (set.size() > 1) {
                throw new IllegalStateException("column " + column + " holds " + set.size()
                        + " elements, not at most one; use getSet");
            }
            if (set.isEmpty()) {
                return Optional.empty();
            }
            value = set.iterator().next();
        } else if (value instanceof Map<?, ?>) {
            throw new ClassCastException(mismatch(column, value, "an optional " + type.getSimpleName()) + "; use getMap");
        }
        checkElement(column, value, type);
        return Optional.of(type.cast(value));
    }

    /**
     * A copy with {@code column} set to {@code value}, which should already be in the canonical
     * representation ({@link DatumCodec#normalize} makes it so): a row has no schema to check it.
     */
    public Row with(String column, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(columns);
        copy.put(column, value);
        return new Row(uuid, copy);
    }

    /** A copy with every column of {@code changes} set, replacing those it already had. */
    public Row withAll(Map<String, Object> changes) {
        Map<String, Object> copy = new LinkedHashMap<>(columns);
        copy.putAll(changes);
        return new Row(uuid, copy);
    }

    private Object require(String column) {
        Object value = get(column);
        if (value == null) {
            throw new NoSuchElementException("row " + uuid + " has no column " + column
                    + " (not selected, not monitored, or misspelt?)");
        }
        return value;
    }

    private <T> T scalar(String column, Class<T> type) {
        Object value = require(column);
        if (value instanceof Set<?>) {
            throw new ClassCastException(mismatch(column, value, "a " + type.getSimpleName())
                    + "; an optional or set column is read with getOptional or getSet");
        }
        if (value instanceof Map<?, ?>) {
            throw new ClassCastException(mismatch(column, value, "a " + type.getSimpleName()) + "; use getMap");
        }
        checkElement(column, value, type);
        return type.cast(value);
    }

    private static void checkElement(String column, Object element, Class<?> type) {
        if (!type.isInstance(element)) {
            throw new ClassCastException("column " + column + " holds " + element + " ("
                    + element.getClass().getSimpleName() + "), not a " + type.getSimpleName());
        }
    }

    private static String mismatch(String column, Object value, String wanted) {
        String shape = value instanceof Set<?> ? "a Set" : value instanceof Map<?, ?> ? "a Map"
                : "a " + value.getClass().getSimpleName();
        return "column " + column + " holds " + shape + ", not " + wanted;
    }
}
