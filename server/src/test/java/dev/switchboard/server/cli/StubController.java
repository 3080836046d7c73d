package dev.switchboard.server.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server in the test's JVM standing in for the controller's REST API: answers each
 * {@code METHOD /path} with what the test set, and remembers the requests it got.
 */
final class StubController implements AutoCloseable {

    record Answer(int status, String contentType, String body) {
    }

    record Request(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    StubController() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), query == null ? path : path + "?" + query,
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
                    new Answer(404, "application/json", "{\"error\":\"no route " + path + "\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Answers {@code method path} (below /api/v1) with JSON. */
    StubController answer(String method, String path, int status, String json) {
        answers.put(method + " " + ApiClient.API_PATH + path, new Answer(status, "application/json", json));
        return this;
    }

    StubController answerText(String method, String path, int status, String text) {
        answers.put(method + " " + ApiClient.API_PATH + path, new Answer(status, "text/html", text));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
