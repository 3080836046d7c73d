package dev.switchboard.hostnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link KernelFeature}s this kernel has, found by trying each one in a scratch namespace
 * ({@code sbprobe-<random>}) that the probe creates and always deletes. Obtained from
 * {@link HostNetwork#kernelFeatures()}, which probes once per JVM and keeps the result. Immutable.
 */
public final class KernelFeatures {

    private static final Logger log = LoggerFactory.getLogger(KernelFeatures.class);

    /** A batch line that tries a feature; a null feature marks a helper line the others need. */
    private record Probe(String line, KernelFeature feature) {
    }

    private static final List<Probe> LINK_PROBES = List.of(
            new Probe("link add sbp0 type veth peer name sbp1", null),
            new Probe("link add link sbp0 name sbp0.5 type vlan id 5", KernelFeature.VLAN_8021Q),
            new Probe("link add sbpbr type bridge vlan_filtering 1", KernelFeature.BRIDGE_VLAN_FILTERING),
            new Probe("link add sbpgre type gre local 192.0.2.1 remote 192.0.2.2", KernelFeature.GRE),
            new Probe("link add sbpgnv type geneve id 5 remote 192.0.2.2", KernelFeature.GENEVE),
            new Probe("link add sbpvx type vxlan id 5 dstport 4789 local 192.0.2.1", KernelFeature.VXLAN),
            new Probe("link add sbpmv link sbp0 type macvlan mode bridge", KernelFeature.MACVLAN),
            new Probe("link add sbpifb type ifb", KernelFeature.IFB));
    private static final List<Probe> TC_PROBES = List.of(
            new Probe("qdisc add dev sbp0 root handle 1: netem delay 1ms", KernelFeature.NETEM),
            new Probe("qdisc add dev sbp1 root handle 1: tbf rate 1mbit burst 15000 latency 50ms", KernelFeature.TBF),
            new Probe("qdisc add dev lo root handle 1: htb default 1", KernelFeature.HTB));

    private static final Object PROBE_LOCK = new Object();
    private static volatile KernelFeatures probed;

    private final Map<KernelFeature, String> missing;
    private final String kernelRelease;

    KernelFeatures(Map<KernelFeature, String> missing, String kernelRelease) {
        this.missing = Map.copyOf(missing);
        this.kernelRelease = kernelRelease;
    }

    /** The features of this kernel, probed on the first call in this JVM. */
    static KernelFeatures probeOnce(IpRoute2 ip, Privileges privileges) {
        KernelFeatures known = probed;
        if (known == null) {
            synchronized (PROBE_LOCK) {
                known = probed;
                if (known == null) {
                    privileges.require();
                    known = probed = probe(ip);
                }
            }
        }
        return known;
    }

    /** Probes every feature in a scratch namespace, which is deleted again whatever happens. */
    static KernelFeatures probe(IpRoute2 ip) {
        String scratch = "sbprobe-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Netns ns = Netns.named(scratch);
        Map<KernelFeature, String> missing = new EnumMap<>(KernelFeature.class);
        IpRoute2.BatchResult created = ip.batch(IpRoute2.Tool.IP, Netns.ROOT, List.of("netns add " + scratch), false);
        try {
            if (!created.succeeded()) {
                throw new HostNetworkException("probing kernel features: creating scratch namespace '" + scratch
                        + "' failed: " + IpRoute2.errorText(created.result()));
            }
            record(ip.batch(IpRoute2.Tool.IP, ns, lines(LINK_PROBES), true), LINK_PROBES, missing);
            record(ip.batch(IpRoute2.Tool.TC, ns, lines(TC_PROBES), true), TC_PROBES, missing);
        } finally {
            IpRoute2.BatchResult deleted = ip.batch(IpRoute2.Tool.IP, Netns.ROOT, List.of("netns del " + scratch),
                    false);
            if (!deleted.succeeded() && created.succeeded()) {
                log.warn("could not delete probe namespace '{}': {}", scratch,
                        IpRoute2.errorText(deleted.result()));
            }
        }
        KernelFeatures features = new KernelFeatures(missing, readKernelRelease());
        log.info("kernel {} lacks {}", features.kernelRelease, missing.keySet());
        return features;
    }

    private static List<String> lines(List<Probe> probes) {
        return probes.stream().map(Probe::line).toList();
    }

    private static void record(IpRoute2.BatchResult result, List<Probe> probes, Map<KernelFeature, String> missing) {
        if (!result.result().succeeded() && result.failedLines().isEmpty()) {
            throw new HostNetworkException("probing kernel features failed: " + result.otherErrors());
        }
        result.failedLines().forEach((line, text) -> {
            if (line < 1 || line > probes.size() || probes.get(line - 1).feature() == null) {
                // a helper line: the probes that need it fail on their own
                return;
            }
            missing.putIfAbsent(probes.get(line - 1).feature(), text);
        });
    }

    private static String readKernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown release";
        }
    }

    public boolean has(KernelFeature feature) {
        return !missing.containsKey(feature);
    }

    /** The kernel's answer when the feature was tried, if it is missing. */
    public Optional<String> whyMissing(KernelFeature feature) {
        return Optional.ofNullable(missing.get(feature));
    }

    public Set<KernelFeature> available() {
        Set<KernelFeature> out = EnumSet.allOf(KernelFeature.class);
        out.removeAll(missing.keySet());
        return out;
    }

    public Set<KernelFeature> missing() {
        return missing.isEmpty() ? EnumSet.noneOf(KernelFeature.class) : EnumSet.copyOf(missing.keySet());
    }

    /** The kernel's release, e.g. {@code "6.1.0-18-amd64"}. */
    public String kernelRelease() {
        return kernelRelease;
    }

    /**
     * @throws KernelFeatureMissingException naming the feature, the kernel and its answer to the probe
     */
    public void require(KernelFeature feature) {
        require(feature, null);
    }

    /** As {@link #require(KernelFeature)}, with what needed it at the front of the message. */
    void require(KernelFeature feature, String purpose) {
        String why = missing.get(feature);
        if (why != null) {
            String prefix = purpose == null ? "" : purpose + " needs " + feature.description() + ", which ";
            String subject = purpose == null ? feature.description() + " " : "";
            throw new KernelFeatureMissingException(feature, prefix + subject + "is not available in this kernel ("
                    + kernelRelease + "); trying it gave: " + why);
        }
    }

    @Override
    public String toString() {
        return "KernelFeatures[kernel " + kernelRelease + ", missing " + missing.keySet() + "]";
    }
}
