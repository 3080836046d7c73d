package dev.switchboard.bench.reliability;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a process holds, read from outside it: established TCP connections on a port it
 * listens on (from {@code /proc/net/tcp}), threads and RSS ({@code /proc/PID/status}), open
 * file descriptors ({@code /proc/PID/fd}) and its heap after a full GC ({@code jcmd PID
 * GC.run}, then {@code GC.heap_info}).
 */
record ProcessFigures(int connections, int threads, int fds, long heapAfterGcKb, long rssKb,
                      Map<String, Long> threadNames, Map<String, Long> fdKinds) {
    private static final Pattern THREAD_NAME = Pattern.compile("(?m)^\"([^\"]*)\"");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    /** /proc/net/tcp's state of an established connection. */
    private static final String ESTABLISHED = "01";

    static ProcessFigures of(long pid, int port, Path jcmd) {
        long heap = heapAfterGc(pid, jcmd);
        return new ProcessFigures(established(port), threads(pid), fds(pid), heap, status(pid, "VmRSS"),
                threadNames(pid, jcmd), fdKinds(pid));
    }

    /** Thread names with their numbers masked ({@code worker-3} as {@code worker-#}), counted. */
    static Map<String, Long> threadNames(long pid, Path jcmd) {
        Matcher name = THREAD_NAME.matcher(jcmd(pid, jcmd, "Thread.print"));
        Map<String, Long> names = new TreeMap<>();
        while (name.find()) {
            names.merge(name.group(1).replaceAll("\\d+", "#"), 1L, Long::sum);
        }
        return names;
    }

    /** Open file descriptors by kind: socket, pipe, anon_inode:[eventpoll], or the file's directory. */
    static Map<String, Long> fdKinds(long pid) {
        Map<String, Long> kinds = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                String kind;
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    kind = target.startsWith("socket:") ? "socket" : target.startsWith("pipe:") ? "pipe"
                            : target.startsWith("anon_inode:") ? target
                            : Path.of(target).getParent() == null ? target : Path.of(target).getParent() + "/…";
                } catch (IOException e) {
                    kind = "(closed while listed)";
                }
                kinds.merge(kind, 1L, Long::sum);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kinds;
    }

    /** What differs between two counts by name: "+2 name", "-1 other". */
    static String difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        before.forEach((k, v) -> delta.merge(k, -v, Long::sum));
        after.forEach((k, v) -> delta.merge(k, v, Long::sum));
        String text = delta.entrySet().stream().filter(e -> e.getValue() != 0)
                .map(e -> String.format("%+d %s", e.getValue(), e.getKey())).collect(Collectors.joining(", "));
        return text.isEmpty() ? "none" : text;
    }

    /** Established connections whose local end is {@code port}: the accepted ones, on loopback or not. */
    static int established(int port) {
        String local = String.format(":%04X", port);
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try (Stream<String> lines = Files.lines(Path.of(table))) {
                count += (int) lines.skip(1).map(String::trim).map(line -> line.split("\\s+"))
                        .filter(f -> f.length > 3 && f[1].endsWith(local) && f[3].equals(ESTABLISHED)).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return count;
    }

    static int threads(long pid) {
        return (int) status(pid, "Threads");
    }

    static int fds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number from /proc/PID/status ({@code Threads:  42}, {@code VmRSS:  123 kB}). */
    static long status(long pid, String key) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(line -> line.startsWith(key + ":")).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .orElseThrow(() -> new IllegalStateException("no " + key + " in /proc/" + pid + "/status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long heapAfterGc(long pid, Path jcmd) {
        jcmd(pid, jcmd, "GC.run");
        String info = jcmd(pid, jcmd, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(long pid, Path jcmd, String command) {
        ExecResult result = Commands.run(List.of(jcmd.toString(), Long.toString(pid), command), Map.of(), JCMD_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + result.stdout() + result.stderr());
        }
        return result.stdout();
    }
}
