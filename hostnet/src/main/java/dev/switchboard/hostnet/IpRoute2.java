package dev.switchboard.hostnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place that knows iproute2's command lines: runs {@code ip} and {@code tc}, one command or a batch on
 * standard input, in the root namespace or (with {@code -n}) a named one, and parses their JSON and error output.
 */
final class IpRoute2 {

    /** Which iproute2 program a batch is for. */
    enum Tool { IP, TC }

    private static final Logger log = LoggerFactory.getLogger(IpRoute2.class);
    private static final List<String> SEARCH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin");
    private static final Pattern COMMAND_FAILED = Pattern.compile("^Command failed (.*):(\\d+)\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration timeout;
    private final String pid = Long.toString(ProcessHandle.current().pid());
    private volatile String ip;
    private volatile String tc;

    IpRoute2(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** How {@code ip link set ... netns X} names {@code target}: its name, or this process's pid for the root. */
    String netnsArgument(Netns target) {
        return target.name().orElse(pid);
    }

    /**
     * Runs {@code ip [-n NS] -json ARGS} and parses its output (an empty array when it printed nothing).
     *
     * @param what what is being read, for the message, e.g. "links"
     * @throws NotFoundException if the namespace does not exist
     */
    JsonNode json(Netns ns, String what, String... args) {
        return readJson(ip(), ns, what, args);
    }

    /** Runs {@code PROGRAM [-n NS] -json ARGS} (ip or tc, which take the same options) and parses its output. */
    private JsonNode readJson(String program, Netns ns, String what, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        ns.name().ifPresent(name -> {
            command.add("-n");
            command.add(name);
        });
        command.add("-json");
        command.addAll(List.of(args));
        ExecResult result = Processes.run(command, null, timeout);
        if (!result.succeeded()) {
            throw readFailure(ns, what, result);
        }
        return parse(result.stdout(), what + " in " + ns);
    }

    /** Parses JSON output of ip or tc. */
    static JsonNode parse(String text, String what) {
        if (text.isBlank()) {
            return JSON.createArrayNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new HostNetworkException("cannot parse iproute2's JSON for " + what + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code tc [-n NS] -json ARGS}. */
    JsonNode tcJson(Netns ns, String what, String... args) {
        return readJson(tc(), ns, what, args);
    }

    HostNetworkException readFailure(Netns ns, String what, ExecResult result) {
        String error = errorText(result);
        if (namespaceMissing(error)) {
            return new NotFoundException(ns + " does not exist (reading " + what + ")");
        }
        return new HostNetworkException("reading " + what + " in " + ns + " failed: " + error);
    }

    static boolean namespaceMissing(String error) {
        return error.contains("Cannot open network namespace");
    }

    /**
     * Runs {@code lines} as one batch of {@code tool} in {@code ns}. Without {@code force} the tool stops at the
     * first failing line; with it, it runs them all. Each failing line's own error text is kept apart.
     */
    BatchResult batch(Tool tool, Netns ns, List<String> lines, boolean force) {
        List<String> command = new ArrayList<>();
        command.add(tool == Tool.IP ? ip() : tc());
        ns.name().ifPresent(name -> {
            command.add("-n");
            command.add(name);
        });
        if (force) {
            command.add("-force");
        }
        command.add("-batch");
        command.add("-");
        String input = String.join("\n", lines) + "\n";
        if (log.isDebugEnabled()) {
            log.debug("{} in {}:\n{}", tool, ns, input.strip());
        }
        Duration budget = timeout.plusMillis(50L * lines.size());
        ExecResult result = Processes.run(command, input, budget);
        return BatchResult.of(result);
    }

    /** Runs a program (not ip or tc) with the configured timeout. */
    ExecResult run(List<String> command) {
        return Processes.run(command, null, timeout);
    }

    String ip() {
        String found = ip;
        if (found == null) {
            found = ip = find("ip");
        }
        return found;
    }

    String tc() {
        String found = tc;
        if (found == null) {
            found = tc = find("tc");
        }
        return found;
    }

    private static String find(String program) {
        for (String dir : SEARCH) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new HostNetworkException("iproute2's '" + program + "' was not found in " + SEARCH
                + "; install the iproute2 package");
    }

    /** The error text of a failed run: stderr, or a note about the timeout or exit status when it is empty. */
    static String errorText(ExecResult result) {
        StringBuilder text = new StringBuilder(result.stderr().strip());
        if (result.timedOut()) {
            text.append(text.length() > 0 ? "; " : "").append("timed out after ").append(result.elapsed());
        } else if (text.length() == 0) {
            text.append("exit status ").append(result.exitCode());
        }
        return text.toString();
    }

    /**
     * The outcome of a batch.
     *
     * @param result      the process's result
     * @param failedLines each failing line (1-based) with the error text printed for it
     * @param otherErrors error text not attributed to a line (e.g. the namespace could not be entered)
     */
    record BatchResult(ExecResult result, Map<Integer, String> failedLines, String otherErrors) {

        static BatchResult of(ExecResult result) {
            Map<Integer, String> failed = new LinkedHashMap<>();
            List<String> pending = new ArrayList<>();
            for (String line : result.stderr().split("\n")) {
                Matcher m = COMMAND_FAILED.matcher(line);
                if (m.matches()) {
                    failed.put(Integer.parseInt(m.group(2)), String.join("; ", pending).strip());
                    pending.clear();
                } else if (!line.isBlank()) {
                    pending.add(line.strip());
                }
            }
            String other = String.join("; ", pending);
            if (result.timedOut()) {
                other = (other.isEmpty() ? "" : other + "; ") + "timed out after " + result.elapsed();
            }
            return new BatchResult(result, failed, other);
        }

        boolean succeeded() {
            return result.succeeded() && failedLines.isEmpty();
        }

        /** The first failing line, or 0 when the failure is not attributed to a line. */
        int firstFailedLine() {
            return failedLines.keySet().stream().mapToInt(Integer::intValue).min().orElse(0);
        }
    }
}
