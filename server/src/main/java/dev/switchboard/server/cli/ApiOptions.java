package dev.switchboard.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the controller is and how to talk to it: the options every command against a running
 * controller shares. Inherited, so a subcommand's options may also come before its name
 * ({@code flows --json add …}).
 */
final class ApiOptions {
    static final String CONTROLLER_VARIABLE = "SWITCHBOARD_CONTROLLER";
    static final String TOKEN_VARIABLE = "SWITCHBOARD_TOKEN";

    @Option(names = "--controller", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The controller's REST API, http://HOST:PORT (default: $" + CONTROLLER_VARIABLE + ", else "
                    + ApiClient.DEFAULT_CONTROLLER + ").")
    String controller;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A file whose first line is the controller's bearer token (default: $" + TOKEN_VARIABLE
                    + ", if set).")
    Path tokenFile;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the API's JSON instead of a table, for scripts.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT, defaultValue = "120",
            description = "Give up waiting for the controller's answer after this long (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** The environment variables read; tests give their own. */
    UnaryOperator<String> environment = System::getenv;

    /** A client as the options and environment say; a bad URL, token file or timeout is a usage failure. */
    ApiClient client() {
        if (timeoutSeconds < 1) {
            throw CliFailure.usage("--timeout must be at least 1 second, not " + timeoutSeconds);
        }
        String url = controller;
        if (url == null) {
            String variable = environment.apply(CONTROLLER_VARIABLE);
            url = variable == null || variable.isBlank() ? ApiClient.DEFAULT_CONTROLLER : variable;
        }
        return new ApiClient(ApiClient.baseUri(url), token(), Duration.ofSeconds(timeoutSeconds));
    }

    private Optional<ApiClient.Token> token() {
        if (tokenFile != null) {
            try {
                String first = Files.readAllLines(tokenFile).stream().findFirst().orElse("").strip();
                if (first.isEmpty()) {
                    throw CliFailure.usage("--token-file: " + tokenFile + " is empty");
                }
                return Optional.of(new ApiClient.Token(first, tokenFile.toString()));
            } catch (NoSuchFileException e) {
                throw CliFailure.usage("--token-file: " + tokenFile + " does not exist", e);
            } catch (IOException e) {
                throw CliFailure.usage("--token-file: cannot read " + tokenFile + ": " + e.getMessage(), e);
            }
        }
        String variable = environment.apply(TOKEN_VARIABLE);
        if (variable == null || variable.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new ApiClient.Token(variable.strip(), "$" + TOKEN_VARIABLE));
    }
}
