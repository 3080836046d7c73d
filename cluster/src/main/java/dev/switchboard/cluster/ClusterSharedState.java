package dev.switchboard.cluster;

import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.Registration;
import dev.switchboard.topology.ClusterExchange;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's shared state in ZooKeeper: each member's part of each kind (its topology, its
 * hosts) is one ephemeral node, {@code shared/<kind>/<nodeId>}, holding the part the app encoded.
 * One node per member, not per datapath: a member's part is what its apps found on the switches
 * it masters, and when a datapath changes master the old member drops it from its part and the new
 * one adds it, with no node whose ownership must move. Ephemeral: a member that dies or loses its
 * session takes its part with it, and the others' views drop what it reported.
 *
 * <p>Writes: {@link #publish} only records the newest part of a kind and queues a write
 * {@link #COALESCE_MILLIS} later, so a burst of changes is one write per kind. Reads: the member's
 * {@link CuratorCache} of the whole root already holds the nodes; a change under {@code shared/}
 * queues one read, which tells each kind's listeners the others' parts when they changed.
 * Every second a backstop rewrites a part whose node is missing (a new session after an expiry
 * lost it) and reads again.
 *
 * <p>Threads: every ZooKeeper call and every listener call runs on one thread of its own
 * ({@code cluster-<nodeId>-share}), never on the coordinator (mastership decisions do not wait for
 * shared state) and never on an event loop. {@link #sharedSecret} is the one call that waits, on
 * its caller's thread, at start.
 */
final class ClusterSharedState implements ClusterExchange, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterSharedState.class);
    /** At most one write per kind in this long; short next to a link's or host's lifetime. */
    static final long COALESCE_MILLIS = 150;
    private static final int SECRET_BYTES = 32;

    private final ClusterConfig config;
    private final CuratorFramework client;
    private final CuratorCache cache;
    private final String sharedPath;
    private final String secretsPath;
    private final ScheduledExecutorService worker;
    /** The newest part of each kind, as published: written by any thread, read by the worker. */
    private final Map<String, byte[]> wanted = new ConcurrentHashMap<>();
    private final Map<String, Listeners<Consumer<Map<String, byte[]>>>> watchers = new ConcurrentHashMap<>();
    private final AtomicBoolean writeQueued = new AtomicBoolean();
    private final AtomicBoolean readQueued = new AtomicBoolean();
    private volatile boolean closed;

    // --- the worker's own ---
    /** Per kind, the part written in {@link #writtenSession}. */
    private final Map<String, byte[]> written = new HashMap<>();
    private long writtenSession;
    /** Per kind, the others' parts as last told. */
    private final Map<String, Map<String, byte[]>> told = new HashMap<>();

    ClusterSharedState(ClusterConfig config, CuratorFramework client, CuratorCache cache) {
        this.config = config;
        this.client = client;
        this.cache = cache;
        this.sharedPath = config.root() + "/shared";
        this.secretsPath = config.root() + "/secrets";
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-" + config.nodeId() + "-share");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts hearing the cache; with the cache and client started by the member. */
    void start() {
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> {
            ChildData data = after != null ? after : before;
            if (data != null && data.getPath().startsWith(sharedPath + "/")) {
                queueRead();
            }
        }).build());
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state.isConnected()) {
                queueWrite(0); // after a new session the parts are gone: written again
            }
        });
        worker.scheduleWithFixedDelay(() -> {
            queueWrite(0);
            queueRead();
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public String memberId() {
        return config.nodeId();
    }

    @Override
    public void publish(String kind, byte[] part) {
        checkKind(kind);
        if (part.length > MAX_PART_BYTES) {
            throw new IllegalArgumentException("a " + kind + " part of " + part.length + " bytes is above the "
                    + MAX_PART_BYTES + " bytes a cluster part may have");
        }
        wanted.put(kind, part.clone());
        queueWrite(COALESCE_MILLIS);
    }

    @Override
    public Registration watch(String kind, Consumer<Map<String, byte[]>> listener) {
        checkKind(kind);
        Registration registration = watchers.computeIfAbsent(kind, k -> new Listeners<>()).add(listener);
        runOnWorker(() -> listener.accept(othersParts(kind))); // what is known now, then every change
        return registration;
    }

    @Override
    public byte[] sharedSecret(String name) {
        checkKind(name);
        String path = secretsPath + "/" + name;
        try {
            long waitMs = Math.min(config.sessionTimeout().toMillis(), 15_000);
            if (!client.blockUntilConnected((int) waitMs, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("ZooKeeper not reached within " + waitMs + " ms");
            }
            byte[] fresh = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                // the first member to ask makes it; the others read the same one
                client.create().creatingParentsIfNeeded().forPath(path, fresh);
                log.info("cluster member {}: made the cluster's {}", config.nodeId(), name);
            } catch (KeeperException.NodeExistsException made) {
                // another member was first
            }
            byte[] secret = client.getData().forPath(path);
            if (secret == null || secret.length < 16) {
                throw new IllegalStateException(path + " does not hold a secret");
            }
            return secret;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + path, e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + path + ": " + e, e);
        }
    }

    /** Kinds and secret names become znode names: letters, digits and dashes only. */
    private static void checkKind(String kind) {
        if (!kind.matches("[a-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("a part's kind is 1-32 of a-z, 0-9 and '-': " + kind);
        }
    }

    private void queueWrite(long delayMillis) {
        if (!closed && writeQueued.compareAndSet(false, true)) {
            try {
                worker.schedule(this::write, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                writeQueued.set(false);
            }
        }
    }

    private void queueRead() {
        if (!closed && readQueued.compareAndSet(false, true)) {
            runOnWorker(this::read);
        }
    }

    private void runOnWorker(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("cluster member {}: shared state: {}", config.nodeId(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("cluster member {}: closed, shared state not handled", config.nodeId());
        }
    }

    /** On the worker: writes each kind whose part is not in ZooKeeper as wanted. */
    private void write() {
        writeQueued.set(false);
        if (closed || !client.getZookeeperClient().isConnected()) {
            return; // the reconnection queues it again
        }
        long session;
        try {
            session = client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return;
        }
        if (session != writtenSession) {
            written.clear();
            writtenSession = session;
        }
        for (Map.Entry<String, byte[]> entry : wanted.entrySet()) {
            String kind = entry.getKey();
            byte[] part = entry.getValue();
            if (Arrays.equals(part, written.get(kind)) && ownNodeHolds(kind, part, session)) {
                continue;
            }
            try {
                writePart(partPath(kind, config.nodeId()), part, session);
                written.put(kind, part);
            } catch (Exception e) {
                written.remove(kind);
                log.warn("cluster member {}: could not share its {} yet: {}", config.nodeId(), kind, e.toString());
            }
        }
    }

    /** Whether the cache shows this member's node of {@code kind} in this session with {@code part}. */
    private boolean ownNodeHolds(String kind, byte[] part, long session) {
        Optional<ChildData> node = cache.get(partPath(kind, config.nodeId()));
        return node.isPresent() && node.get().getStat().getEphemeralOwner() == session
                && Arrays.equals(node.get().getData(), part);
    }

    private void writePart(String path, byte[] part, long session) throws Exception {
        try {
            org.apache.zookeeper.data.Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() != session) {
                // an earlier session's node, about to go with it: replaced by this session's
                client.delete().forPath(path);
                stat = null;
            }
            if (stat != null) {
                client.setData().forPath(path, part);
                return;
            }
            client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, part);
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException raced) {
            queueWrite(COALESCE_MILLIS); // changed under us (a session's end): the next write settles it
            throw raced;
        }
    }

    /** On the worker: tells each kind's listeners the others' parts when they changed. */
    private void read() {
        readQueued.set(false);
        for (Map.Entry<String, Listeners<Consumer<Map<String, byte[]>>>> entry : watchers.entrySet()) {
            String kind = entry.getKey();
            Map<String, byte[]> now = othersParts(kind);
            Map<String, byte[]> before = told.get(kind);
            if (before != null && sameParts(before, now)) {
                continue;
            }
            told.put(kind, now);
            entry.getValue().fire("shared " + kind, listener -> listener.accept(now));
        }
    }

    /** The other members' parts of {@code kind}, as the cache holds them. */
    private Map<String, byte[]> othersParts(String kind) {
        String parent = sharedPath + "/" + kind;
        Map<String, byte[]> parts = new HashMap<>();
        cache.stream().forEach(data -> {
            String path = data.getPath();
            if (path.startsWith(parent + "/") && path.indexOf('/', parent.length() + 1) < 0) {
                String member = ZnodeNames.leaf(path);
                if (!member.equals(config.nodeId()) && data.getData() != null) {
                    parts.put(member, data.getData());
                }
            }
        });
        return Map.copyOf(parts);
    }

    private static boolean sameParts(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : a.entrySet()) {
            if (!Arrays.equals(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private String partPath(String kind, String member) {
        return sharedPath + "/" + kind + "/" + member;
    }

    /** Stops writing and telling; the parts go with the session, which the member ends next. */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
