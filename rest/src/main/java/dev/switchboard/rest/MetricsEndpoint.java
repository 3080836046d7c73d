package dev.switchboard.rest;

/**
 * What {@code GET /metrics} serves: the server's metrics as text (Prometheus' format), made when
 * asked. The API knows no metrics library; the server hands it this. The REST server closes it
 * when it stops, since its meters exist to be served there.
 */
public interface MetricsEndpoint extends AutoCloseable {

    /** The media type of {@link #scrape()}'s text. */
    String contentType();

    /** Every metric as it is now. Called on the API's threads, possibly several at once. */
    String scrape();

    @Override
    default void close() {
    }
}
