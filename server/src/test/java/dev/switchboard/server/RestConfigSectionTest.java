package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.rest.RestConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config's {@code rest:} section and the REST API's place in {@link Switchboard#start}. */
class RestConfigSectionTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return new ConfigFiles(dir).file(yaml);
    }

    private String error(String yaml) throws IOException {
        return new ConfigFiles(dir).error(yaml);
    }

    @Test
    void defaultsToLoopback8080() {
        RestConfig rest = SwitchboardConfig.defaults().rest().restConfig();
        assertThat(rest.enabled()).isTrue();
        assertThat(rest.address()).isEqualTo("127.0.0.1");
        assertThat(rest.port()).isEqualTo(8080);
        assertThat(rest.token()).isEmpty();
    }

    @Test
    void readsTheSectionAndTheTokenFile() throws IOException {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "abc123\n");
        RestConfig rest = SwitchboardConfig.load(file("rest:\n  address: 0.0.0.0\n  port: 0\n  tokenFile: " + tokenFile + "\n"))
                .rest().restConfig();
        assertThat(rest.address()).isEqualTo("0.0.0.0");
        assertThat(rest.port()).isZero();
        assertThat(rest.token()).contains("abc123");
        assertThat(SwitchboardConfig.load(file("rest:\n  enabled: false\n")).rest().restConfig().enabled()).isFalse();
    }

    @Test
    void errorsNameFileLineAndKey() throws IOException {
        assertThat(error("openflow:\n  listen: [\"127.0.0.1:6653\"]\nrest:\n  address: 0.0.0.0\n"))
                .startsWith("sb.yaml:4: rest.address: listening on 0.0.0.0 (not a loopback address) needs a bearer token");
        assertThat(error("rest:\n  port: 70000\n")).startsWith("sb.yaml:2: rest.port: 70000 is not a TCP port");
        assertThat(error("rest:\n  port: eighty\n")).startsWith("sb.yaml:2: rest.port:");
        assertThat(error("rest:\n  tokenFile: " + dir.resolve("missing") + "\n")).startsWith("sb.yaml:2: rest.tokenFile: cannot read");
        assertThat(error("rest:\n  bogus: 1\n")).startsWith("sb.yaml:2: rest.bogus");
    }

    @Test
    void theApiStartsLastAndStopsFirst() throws Exception {
        RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.empty());
        int port;
        try (Switchboard switchboard = Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(),
                List.of("hosts"), name -> AppConfig.of("apps." + name, Map.of()), rest)) {
            port = switchboard.rest().orElseThrow().port();
            HttpResponse<String> apps = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/apps")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(apps.statusCode()).isEqualTo(200);
            assertThat(apps.body()).contains("\"topology\"", "\"hosts\"");
        }
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/health")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aNonLoopbackApiWithoutTokenRefusesToStartBeforeAnythingListens() {
        RestConfig open = new RestConfig(true, "0.0.0.0", 0, Optional.empty());
        assertThatThrownBy(() -> Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(), List.of(),
                name -> AppConfig.of("apps." + name, Map.of()), open))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a bearer token");
    }

    @Test
    void theOlderStartHasNoApi() {
        try (Switchboard switchboard = Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(), List.of(), Map.of())) {
            assertThat(switchboard.rest()).isEmpty();
        }
    }

    private static ControllerConfig anyPort() {
        return ControllerConfig.builder().listen(List.of(new InetSocketAddress("127.0.0.1", 0))).build();
    }
}
