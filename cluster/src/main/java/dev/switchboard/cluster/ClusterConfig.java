package dev.switchboard.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code cluster:} section: where ZooKeeper is and who this instance is.
 *
 * @param connectString  ZooKeeper servers, {@code host:port[,host:port…]}
 * @param nodeId         this instance's name in the cluster, unique among the members (letters,
 *                       digits, {@code . _ -}, 1–64)
 * @param sessionTimeout how long ZooKeeper keeps this instance's session (and so its membership
 *                       and masterships) after it stops hearing from it: the failover time
 * @param root           the znode under which the cluster keeps its state
 */
public record ClusterConfig(String connectString, String nodeId, Duration sessionTimeout, String root) {
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final String DEFAULT_ROOT = "/switchboard";
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ROOT = Pattern.compile("(/[A-Za-z0-9._-]{1,64}){1,8}");

    public ClusterConfig {
        Objects.requireNonNull(connectString, "connectString");
        Objects.requireNonNull(nodeId, "nodeId");
        sessionTimeout = sessionTimeout == null ? DEFAULT_SESSION_TIMEOUT : sessionTimeout;
        root = root == null ? DEFAULT_ROOT : root;
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("connectString must name at least one ZooKeeper server (host:port)");
        }
        if (!NODE_ID.matcher(nodeId).matches() || nodeId.equals(".") || nodeId.equals("..")) {
            throw new IllegalArgumentException("nodeId must be 1-64 letters, digits, '.', '_' or '-': '" + nodeId + "'");
        }
        if (sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0 || sessionTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("sessionTimeout must be 1s..5m: " + sessionTimeout);
        }
        checkRoot(root);
    }

    /**
     * ZooKeeper refuses {@code .} and {@code ..} as path segments and keeps {@code /zookeeper} for
     * itself (quotas, config): a root there is refused here, at load time, not as a failed create
     * in the background later.
     */
    private static void checkRoot(String root) {
        if (!ROOT.matcher(root).matches()) {
            throw new IllegalArgumentException("root must be an absolute znode path like /switchboard (segments of"
                    + " 1-64 letters, digits, '.', '_' or '-', at most 8): '" + root + "'");
        }
        String[] segments = root.substring(1).split("/");
        for (String segment : segments) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("root must not contain '.' or '..' segments: '" + root + "'");
            }
        }
        if (segments[0].equals("zookeeper")) {
            throw new IllegalArgumentException("root must not be under /zookeeper, which ZooKeeper keeps for itself: '"
                    + root + "'");
        }
    }

    public ClusterConfig(String connectString, String nodeId) {
        this(connectString, nodeId, null, null);
    }
}
