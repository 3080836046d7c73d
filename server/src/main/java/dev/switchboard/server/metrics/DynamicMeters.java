package dev.switchboard.server.metrics;

/** Meters that follow things coming and going: brought in step before each scrape, removed on close. */
interface DynamicMeters extends AutoCloseable {

    /** Adds meters for what appeared and removes those of what went, since the last call. */
    void refresh();

    @Override
    void close();
}
