package dev.switchboard.rest;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The labs on this machine (the lab module's run state); the server implements it over its
 * {@code LabRunner}. {@link PreparedLab#up} and {@link #down} block (namespaces, OVS): the API
 * runs them on a thread of its own.
 */
public interface LabControl {

    /** The labs that have a state on this machine, by name. */
    List<String> labs();

    /** The lab's status lines ({@code KIND WHAT OBJECT STATE}), empty when there is no such lab. */
    Optional<List<String>> status(String lab);

    /**
     * Reads a spec without changing anything.
     *
     * @param source     YAML text, or {@code topo:NAME} (e.g. {@code topo:tree,2,3})
     * @param name       the lab's name, or null for the spec's own
     * @param controller where the lab's OVS switches connect ({@code tcp:HOST:PORT}), or null
     * @throws ApiException 400 naming the spec's problems
     */
    PreparedLab prepare(String source, String name, String controller);

    /** Removes what the lab made; false when there was no such lab. */
    boolean down(String lab, Consumer<String> progress);

    /** A spec that was read and checked. */
    interface PreparedLab {
        String name();

        /** Brings the lab up (blocking); a failure's message is for the user. */
        void up(Consumer<String> progress);
    }
}
