package dev.switchboard.lab.run;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.hostnet.Netns;
import dev.switchboard.lab.spec.Host;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.NodeRole;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Pings every host's first address from every other host, a few at a time. */
final class Pinger {
    private static final int PARALLEL = 8;
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    private final HostNetwork net;
    private final LabSpec spec;
    private final LabNames names;

    Pinger(HostNetwork net, LabSpec spec) {
        this.net = net;
        this.spec = spec;
        this.names = spec.names();
    }

    private Optional<InetAddress> addressOf(String host) {
        return spec.portsOf(host).stream().filter(p -> p.role() == NodeRole.HOST)
                .flatMap(p -> p.addresses().stream()).map(c -> c.address()).findFirst();
    }

    PingReport run(PrintStream out) {
        List<String> hosts = spec.hosts().stream().map(Host::name).filter(h -> addressOf(h).isPresent()).toList();
        Map<String, List<String>> reached = new LinkedHashMap<>();
        int sent = 0;
        int received = 0;
        out.println("*** Ping: testing ping reachability");
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            for (String from : hosts) {
                List<Future<Boolean>> answers = new ArrayList<>();
                for (String to : hosts) {
                    if (!to.equals(from)) {
                        InetAddress target = addressOf(to).orElseThrow();
                        answers.add(pool.submit(() -> ping(from, target)));
                    }
                }
                List<String> row = new ArrayList<>();
                int index = 0;
                for (String to : hosts) {
                    if (to.equals(from)) {
                        continue;
                    }
                    boolean ok = get(answers.get(index++));
                    sent++;
                    if (ok) {
                        received++;
                    }
                    row.add(ok ? to : "X");
                }
                reached.put(from, row);
                out.println(from + " -> " + String.join(" ", row));
            }
        } finally {
            pool.shutdownNow();
        }
        PingReport report = new PingReport(hosts, reached, sent, received);
        out.println(report.summary());
        return report;
    }

    private boolean ping(String from, InetAddress target) {
        ExecResult result = net.exec(Netns.named(names.namespace(from)),
                List.of("ping", "-c", "1", "-W", "1", target.getHostAddress()), PING_TIMEOUT);
        return result.succeeded();
    }

    private static boolean get(Future<Boolean> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
