package dev.switchboard.ovs.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Another process choosing an uplink subnet, for {@link OvsNamespaceTest}: takes {@link UplinkLock}, chooses the
 * first free subnet, says {@code held}, waits for a line on stdin, takes the subnet (an address on the veth
 * {@code args[0]}, made for it), says {@code took ADDRESS} and lets the lock go; removes the veth when stdin ends.
 */
public final class UplinkLockHolder {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private UplinkLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        String veth = args[0];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            UplinkLock.holding(() -> {
                try {
                    int subnet = OvsNamespace.freeSubnet(); // chosen, not yet taken
                    say("held");
                    in.readLine();
                    Commands.check(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "p"), Map.of(), TIMEOUT);
                    Commands.check(List.of("ip", "addr", "add", OvsNamespace.dotted(subnet + 1) + "/30", "dev", veth),
                            Map.of(), TIMEOUT);
                    say("took " + OvsNamespace.dotted(subnet + 1));
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            while (in.readLine() != null) {
                // until the test closes our stdin
            }
        } finally {
            Commands.run(List.of("ip", "link", "del", veth), Map.of(), TIMEOUT);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
