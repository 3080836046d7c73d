package dev.switchboard.hostnet;

import java.util.Objects;
import java.util.Optional;

/**
 * Which network namespace an operation works in: {@link #ROOT}, the namespace this JVM runs in (normally the host's),
 * or a named namespace as {@code ip netns} knows it (a file under {@code /run/netns}).
 *
 * <p>Two values are equal when they name the same namespace. Creating a value checks only the name's form; whether
 * the namespace exists is checked by each operation.
 */
public final class Netns {

    /** The namespace this process runs in. */
    public static final Netns ROOT = new Netns(null);

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /**
     * A named namespace.
     *
     * @throws InvalidRequestException if the name could not be a namespace name
     */
    public static Netns named(String name) {
        Names.checkNamespaceName(name);
        return new Netns(name);
    }

    public boolean isRoot() {
        return name == null;
    }

    /** The namespace's name; empty for {@link #ROOT}. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@code "the root namespace"} or {@code "namespace 'h1'"}, for messages. */
    @Override
    public String toString() {
        return name == null ? "the root namespace" : "namespace '" + name + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Netns other && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }
}
