package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client of {@code /api/v1/events}: reads the Server-Sent Events on a thread of its own. */
final class SseReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream body;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    private SseReader(InputStream body) {
        this.body = body;
    }

    /**
     * Opens the stream and returns once it is subscribed (its first line came), so every event
     * after this call reaches it.
     */
    static SseReader open(HttpClient http, String url, String token, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        SseReader reader = new SseReader(response.body());
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("retry:");
        Thread thread = new Thread(() -> reader.read(lines), "sse-reader");
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    private void read(BufferedReader lines) {
        try {
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                } else if (line.isEmpty() && data.length() > 0) {
                    events.add(JSON.readTree(data.toString()));
                    data.setLength(0);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Events until one matches (it included), within {@code limit}; fails naming what came. */
    List<JsonNode> until(Predicate<JsonNode> wanted, Duration limit) throws InterruptedException {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        for (;;) {
            JsonNode event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(event).as("the wanted event within " + limit + "; came: " + types(seen)).isNotNull();
            seen.add(event);
            if (wanted.test(event)) {
                return seen;
            }
        }
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("id").asLong() + ":" + e.get("type").asText()).toList();
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
