package dev.switchboard.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Flow;
import java.util.function.IntConsumer;

/**
 * The controller's REST API ({@code /api/v1}) over {@link HttpClient}, one request at a time.
 * Every failure becomes a {@link CliFailure} whose message says what happened and whose status is
 * the command's exit status: the controller's refusals (4xx) are {@link ExitStatus#FAILED}; no
 * answer, a refused token (401) and the controller's own failures (5xx) are
 * {@link ExitStatus#UNREACHABLE}.
 */
final class ApiClient {
    static final String DEFAULT_CONTROLLER = "http://127.0.0.1:8080";
    static final String API_PATH = "/api/v1";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** An answer larger than this is refused: a flow dump of a million flows stays below it. */
    static final int MAX_ANSWER_BYTES = 512 << 20;
    /** A request body goes in pieces of this size, so its progress can be told. */
    private static final int PIECE_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HINT = " (is it running, with its REST API on? --controller URL or SWITCHBOARD_CONTROLLER)";

    private final URI base;
    private final Optional<Token> token;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * A token and where it came from, for the error that names it when the controller refuses it.
     */
    record Token(String value, String source) {
        Token {
            if (value.isEmpty() || value.chars().anyMatch(c -> Character.isISOControl(c) || c == ' ')) {
                throw CliFailure.usage("the token from " + source + " is empty or holds blanks or control characters");
            }
        }
    }

    ApiClient(URI base, Optional<Token> token, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        // HTTP/1.1: the JDK's HTTP/2 upgrade attempt on plain http:// buys nothing against Jetty here
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The API's base URI for what the user gave: {@code http://HOST:PORT} (or {@code HOST:PORT}),
     * with or without {@code /api/v1}.
     *
     * @throws CliFailure (usage) naming what is wrong with it
     */
    static URI baseUri(String controller) {
        String text = controller.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (!text.endsWith(API_PATH)) {
            text += API_PATH;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw CliFailure.usage("--controller: '" + Text.printable(controller) + "' is not a URL (http://HOST:PORT)", e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw CliFailure.usage("--controller: '" + Text.printable(controller) + "' is not an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw CliFailure.usage("--controller: '" + Text.printable(controller) + "' is not http://HOST:PORT");
        }
        return uri;
    }

    /** {@code segment} for a URL path: everything but unreserved characters and {@code :} percent-encoded. */
    static String pathSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** {@code ?k=v&…} of the parameters whose value is not null, or an empty string. */
    static String query(Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null) {
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    URI base() {
        return base;
    }

    /** GET {@code path} (below {@code /api/v1}, starting with {@code /}). */
    JsonNode get(String path) {
        return send(request(path).GET(), Set.of());
    }

    /**
     * POST {@code body}; an answer with one of the {@code resultStatuses} is returned as a result
     * (the flow writes answer 422 with the same result as 200, listing the flows refused), any
     * other failure throws.
     */
    JsonNode post(String path, String contentType, byte[] body, Set<Integer> resultStatuses) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                resultStatuses);
    }

    /**
     * {@code method} ({@code POST}, {@code PUT}) of {@code body} in 64 KiB pieces, telling
     * {@code sent} the bytes of each piece as the HTTP client takes it (on its thread, one piece
     * after another).
     */
    JsonNode send(String method, String path, String contentType, byte[] body, IntConsumer sent, Set<Integer> resultStatuses) {
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < body.length; at += PIECE_BYTES) {
            pieces.add(Arrays.copyOfRange(body, at, Math.min(body.length, at + PIECE_BYTES)));
        }
        HttpRequest.BodyPublisher all = HttpRequest.BodyPublishers.ofByteArrays(pieces);
        Flow.Publisher<ByteBuffer> counted = subscriber -> all.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer piece) {
                int bytes = piece.remaining();
                subscriber.onNext(piece);
                sent.accept(bytes);
            }

            @Override
            public void onError(Throwable failure) {
                subscriber.onError(failure);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
        return send(request(path).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.fromPublisher(counted, body.length)), resultStatuses);
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE(), Set.of());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t.value()));
        return request;
    }

    /** The answer's JSON ({@link MissingNode} when it has no body), or a failure. */
    private JsonNode send(HttpRequest.Builder builder, Set<Integer> resultStatuses) {
        HttpRequest request = builder.build();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } catch (HttpConnectTimeoutException e) {
            throw CliFailure.unreachable("cannot reach the controller at " + where() + ": no connection within "
                    + CONNECT_TIMEOUT.toSeconds() + " s" + HINT, e);
        } catch (HttpTimeoutException e) {
            throw CliFailure.unreachable("the controller at " + where() + " did not answer within " + timeout.toSeconds()
                    + " s (--timeout)", e);
        } catch (IOException e) {
            throw CliFailure.unreachable("cannot reach the controller at " + where() + ": " + why(e) + HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unreachable("interrupted while waiting for the controller", e);
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw CliFailure.unreachable("the controller's answer is larger than " + (MAX_ANSWER_BYTES >> 20) + " MiB");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return parse(body, request, status);
        }
        if (resultStatuses.contains(status)) {
            JsonNode result = parse(body, request, status);
            if (result.isObject() && !result.isEmpty()) {
                return result;
            }
        }
        throw failure(status, body, request);
    }

    private String where() {
        return base.getScheme() + "://" + base.getRawAuthority();
    }

    private JsonNode parse(byte[] body, HttpRequest request, int status) {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw CliFailure.unreachable(request.method() + " " + request.uri().getRawPath() + " answered " + status
                    + " with something that is not JSON; is " + where() + " a Switchboard controller?", e);
        }
    }

    private CliFailure failure(int status, byte[] body, HttpRequest request) {
        String error = errorText(body);
        if (status == 401) {
            return CliFailure.unreachable(token
                    .map(t -> "the controller refused the token from " + t.source() + " (" + error + ")")
                    .orElse("the controller wants a bearer token (" + error + "): set SWITCHBOARD_TOKEN or give --token-file FILE"));
        }
        String message = error + " (HTTP " + status + ")";
        if (status >= 400 && status < 500) {
            return CliFailure.failed(message);
        }
        if (status >= 500 && status < 600) {
            return CliFailure.unreachable(message);
        }
        return CliFailure.unreachable(request.method() + " " + request.uri().getRawPath() + ": unexpected " + message);
    }

    /** The {@code error} of the API's error body; else the start of whatever came. */
    private static String errorText(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(text).path("error");
            if (error.isTextual() && !error.asText().isBlank()) {
                return Text.printable(error.asText());
            }
        } catch (JsonProcessingException e) {
            // not the API's error body: show what came
        }
        String start = text.strip();
        start = start.length() > 200 ? start.substring(0, 200) + "…" : start;
        return start.isEmpty() ? "no reason given" : Text.printable(start);
    }

    private static String why(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof ConnectException connect) {
                return connect.getMessage() == null || connect.getMessage().contains("refused")
                        ? "connection refused" : Text.printable(connect.getMessage());
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : Text.printable(e.getMessage());
    }
}
