package dev.switchboard.controller;

import java.util.function.Consumer;

/**
 * Decides which datapaths this controller instance masters (a cluster's coordination, the
 * {@code cluster} module). Without one the controller is alone and masters every switch, and it
 * sends no role requests.
 */
public interface MastershipSource {

    /** The latest decision; never blocks. */
    MasteredDatapaths current();

    /**
     * Tells {@code listener} of each new decision, on the source's own thread, in order. The
     * listener must not block: it hands the change to the switches' event loops.
     */
    Registration addListener(Consumer<MasteredDatapaths> listener);
}
