package dev.switchboard.cluster;

import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.MasteredDatapaths;
import dev.switchboard.controller.MastershipSource;
import dev.switchboard.controller.Registration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance as a member of the controller cluster: it joins through ZooKeeper (Curator),
 * tells the cluster which datapaths are connected to it, and masters the datapaths the
 * {@link BalancedAssignment} gives it.
 *
 * <p>What lives in ZooKeeper, under the root ({@code /switchboard}):
 * <ul>
 *   <li>{@code members/<nodeId>}: ephemeral, one per live instance (Curator {@link PersistentNode},
 *       so it comes back after a new session);
 *   <li>{@code datapaths/<dpid>/<nodeId>}: ephemeral, the instance has that switch connected
 *       (the parent is a container node, gone with its last child);
 *   <li>{@code masters/<dpid>}: ephemeral, holds the id of the datapath's master. Creating it is
 *       taking the mastership term, and its creation zxid ({@code czxid}) is the term's
 *       generation id: zxids only grow, so each term's id is above the last one's, and a switch
 *       refuses a ROLE_REQUEST from an older term (stale).
 * </ul>
 * One node per datapath means at most one master per datapath by ZooKeeper's word: a new
 * master takes the node only after the old one deleted it (it moved the datapath away: it
 * demotes itself first, then deletes) or after the old one's session expired.
 *
 * <p>No master without a session, but no demotion for a server that merely went away: when the
 * connection to ZooKeeper is suspended the ZooKeeper client looks for another server of the
 * ensemble, which takes it a second or so, and the session lives on there. So this instance keeps
 * its masterships through a short grace, a quarter of the session timeout ({@link #suspensionGrace}),
 * and masters nothing once the grace is over ({@link MasteredDatapaths#NONE} is published, an ERROR
 * logged) or at once when the session is lost. Why the grace is safe: the client calls a connection
 * suspended at the latest two thirds of the session timeout after it last heard from a server
 * (ZooKeeper's read timeout), and the ensemble expires the session no earlier than one full timeout
 * after it last heard from the client, so at least a third of the timeout is left when the grace
 * starts, and another instance still has to see the expiry and claim before it writes. Once
 * reconnected in the same session, its nodes are still its own and it masters them again; after a
 * new session they are gone and it claims its share afresh.
 *
 * <p>Threads: all ZooKeeper work and every decision runs on one thread of its own
 * ({@code cluster-<nodeId>}), woken by cache and connection events (and every second as a
 * backstop); listeners of {@link #addListener} run there. {@link #datapathConnected} and
 * {@link #datapathDisconnected} only record and wake it, so an event loop may call them.
 */
public final class ClusterNode implements MastershipSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    private final ClusterConfig config;
    private final CuratorFramework client;
    private final CuratorCache cache;
    private final ScheduledExecutorService coordinator;
    private final String membersPath;
    private final String datapathsPath;
    private final String mastersPath;
    private final Listeners<Consumer<MasteredDatapaths>> listeners = new Listeners<>();
    private final AtomicBoolean decisionQueued = new AtomicBoolean();
    /**
     * Tells the listeners, in order, of each change, from the coordinator and from Curator's
     * connection-state thread alike: a demotion reaches the switches even while the coordinator
     * waits on ZooKeeper.
     */
    private final java.util.concurrent.ExecutorService notifier;
    /** Datapaths connected here: written by event loops, read by the coordinator. */
    private final Set<DatapathId> connected = ConcurrentHashMap.newKeySet();

    private volatile MasteredDatapaths mastered = MasteredDatapaths.NONE;
    /** {@link #mastered} without this instance's masterships (the others' terms kept), as read while not serving. */
    private volatile MasteredDatapaths masteredNothing = MasteredDatapaths.NONE;
    /**
     * Whether {@link #mastered} may be acted on: false from the moment the connection to ZooKeeper
     * is suspended (set on Curator's thread, no coordinator turn needed), true again only once the
     * coordinator checked the session after a reconnection (a new session's masterships are gone).
     */
    private volatile boolean serving;
    /** Held only to move {@link #serving} and {@link #zkConnected} together (never while calling out). */
    private final Object servingLock = new Object();
    /** Every datapath's current term, as last read (this instance's own among them: {@link #snapshot} leaves its claims out). */
    private Map<DatapathId, Long> otherTerms = Map.of();
    private volatile ClusterView view = ClusterView.EMPTY;
    /** Set by Curator's connection-state thread; read by the coordinator before each decision. */
    private volatile boolean zkConnected;
    /** Counts suspensions, so that a grace's end acts only on the suspension it was started for (under {@link #servingLock}). */
    private long suspensions;
    /** The session timeout ZooKeeper granted, as of the last connection; the configured one until then. */
    private volatile long grantedSessionTimeoutMs;
    /** Ends the grace of a suspended connection: its own thread, since the coordinator may be waiting on ZooKeeper. */
    private final ScheduledExecutorService graceTimer;
    private volatile boolean closed;
    /** The topology and hosts the members share, through this member's client and cache. */
    private final ClusterSharedState sharedState;

    // --- the coordinator's own ---
    private PersistentNode memberNode;
    private final Map<DatapathId, PersistentNode> registrations = new HashMap<>();
    /** The master nodes this instance created, with their czxid, in session {@link #claimSession}. */
    private final Map<DatapathId, Long> claims = new HashMap<>();
    private long claimSession;

    public ClusterNode(ClusterConfig config) {
        this.config = config;
        this.client = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(config.sessionTimeout().toMillis(), 15_000))
                .retryPolicy(new RetryNTimes(2, 200)) // few and short: the coordinator never sits in retries while it should decide
                // the servers are the configured ones: not rewritten from the ensemble's dynamic config
                .ensembleTracker(false)
                .build();
        this.cache = CuratorCache.build(client, config.root());
        this.coordinator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        this.notifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cluster-" + config.nodeId() + "-notify");
            t.setDaemon(true);
            return t;
        });
        this.graceTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-" + config.nodeId() + "-grace");
            t.setDaemon(true);
            return t;
        });
        this.grantedSessionTimeoutMs = config.sessionTimeout().toMillis();
        this.membersPath = config.root() + "/members";
        this.datapathsPath = config.root() + "/datapaths";
        this.mastersPath = config.root() + "/masters";
        this.sharedState = new ClusterSharedState(config, client, cache);
    }

    public String nodeId() {
        return config.nodeId();
    }

    /**
     * Connects to ZooKeeper and joins. Returns at once: the connection, the membership and the
     * masterships follow in the background (a ZooKeeper that is down is retried, logged).
     */
    public void start() {
        log.info("cluster member {}: joining through ZooKeeper at {} under {} (session timeout {} s)", config.nodeId(),
                config.connectString(), config.root(), config.sessionTimeout().toSeconds());
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> wake()).build());
        sharedState.start();
        client.start();
        cache.start();
        coordinator.execute(this::join);
        coordinator.scheduleWithFixedDelay(this::wake, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public MasteredDatapaths current() {
        return serving ? mastered : masteredNothing;
    }

    @Override
    public Registration addListener(Consumer<MasteredDatapaths> listener) {
        return listeners.add(listener);
    }

    /** The members and masters as last read from ZooKeeper (this instance's cache of it). */
    public ClusterView view() {
        return view;
    }

    /**
     * Where the topology and hosts apps share their parts with the other members (ZooKeeper nodes
     * of their own, next to the membership's).
     */
    public dev.switchboard.topology.ClusterExchange sharedState() {
        return sharedState;
    }

    /** Whether this instance is in touch with ZooKeeper now. */
    public boolean isConnected() {
        return zkConnected;
    }

    /** The switch {@code dpid} is connected to this instance: it may master it. Never blocks. */
    public void datapathConnected(DatapathId dpid) {
        if (connected.add(dpid)) {
            wake();
        }
    }

    /** The switch left this instance: it stops mastering it (and says so to the cluster). Never blocks. */
    public void datapathDisconnected(DatapathId dpid) {
        if (connected.remove(dpid)) {
            wake();
        }
    }

    private void onConnectionState(ConnectionState state) {
        boolean now = state.isConnected() && state != ConnectionState.READ_ONLY;
        if (!now) {
            long suspension;
            boolean wasServing;
            synchronized (servingLock) {
                wasServing = serving;
                zkConnected = false;
                suspension = ++suspensions;
            }
            if (state == ConnectionState.LOST) {
                demote(suspension, state); // the session is gone or given up: another instance may take over now
            } else if (wasServing) {
                Duration grace = suspensionGrace(grantedSessionTimeoutMs, config.sessionTimeout());
                log.warn("cluster member {}: connection to ZooKeeper {}: looking for another server; still master"
                        + " for up to {} ms", config.nodeId(), state, grace.toMillis());
                try {
                    graceTimer.schedule(() -> demote(suspension, state), grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    demote(suspension, state); // closing
                }
            }
        } else {
            if (!zkConnected) {
                log.info("cluster member {}: connected to ZooKeeper ({})", config.nodeId(), state);
            }
            try {
                grantedSessionTimeoutMs = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            } catch (Exception e) {
                log.debug("cluster member {}: session timeout not known: {}", config.nodeId(), e.toString());
            }
            synchronized (servingLock) {
                zkConnected = true;
                suspensions++; // a grace running out now is for a suspension that is over
            }
        }
        wake();
    }

    /**
     * How long a master keeps acting through a suspended connection: a quarter of the session
     * timeout (the shorter of the granted and the configured one), well inside the third that is
     * left of the session at the least when the client calls the connection suspended.
     */
    static Duration suspensionGrace(long grantedSessionTimeoutMs, Duration configured) {
        long timeout = grantedSessionTimeoutMs > 0 ? Math.min(grantedSessionTimeoutMs, configured.toMillis()) : configured.toMillis();
        return Duration.ofMillis(timeout / 4);
    }

    /**
     * A master that lost its session demotes itself, here and now (on Curator's thread or the
     * grace timer, not the coordinator, which may be waiting on ZooKeeper): unless the connection
     * came back since suspension {@code suspension} began.
     */
    private void demote(long suspension, ConnectionState state) {
        boolean wasServing;
        synchronized (servingLock) {
            if (suspension != suspensions) {
                return; // reconnected meanwhile
            }
            wasServing = serving;
            serving = false;
        }
        if (wasServing) {
            log.error("cluster member {}: lost touch with ZooKeeper ({}): mastering nothing until it is back;"
                    + " switches keep their installed flows", config.nodeId(), state);
            notifyListeners();
        }
        wake();
    }

    /** Queues one decision, unless one is queued already (a burst of events costs one). */
    private void wake() {
        if (!closed && decisionQueued.compareAndSet(false, true)) {
            try {
                coordinator.execute(this::decide);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                decisionQueued.set(false); // closing
            }
        }
    }

    private void join() {
        try {
            for (String path : new String[] {membersPath, datapathsPath, mastersPath}) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(path);
                } catch (KeeperException.NodeExistsException exists) {
                    // another member made it first
                }
            }
        } catch (Exception e) {
            // ZooKeeper not reachable yet: the member node and the decisions retry on their own
            log.warn("cluster member {}: could not create {} yet: {}", config.nodeId(), config.root(), e.toString());
            coordinator.schedule(this::join, 1, TimeUnit.SECONDS);
            return;
        }
        memberNode = new PersistentNode(client, CreateMode.EPHEMERAL, false, membersPath + "/" + config.nodeId(),
                config.nodeId().getBytes(StandardCharsets.UTF_8));
        memberNode.start();
        wake();
    }

    /** On the coordinator: reads the cache, decides, claims and releases, publishes. */
    private void decide() {
        decisionQueued.set(false);
        if (closed) {
            return;
        }
        try {
            register();
            ClusterView read = read();
            view = read;
            if (!zkConnected) {
                publishIfLost();
                return;
            }
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            if (session != claimSession) {
                if (!claims.isEmpty()) {
                    log.warn("cluster member {}: new ZooKeeper session; the {} masterships of the old one are gone",
                            config.nodeId(), claims.size());
                }
                claims.clear();
                claimSession = session;
            }
            Map<DatapathId, String> target = read.members().contains(config.nodeId())
                    ? BalancedAssignment.assign(read.members(), connectedMembers())
                    : Map.of(); // not a member (yet, or any more): master nothing
            Set<DatapathId> release = new HashSet<>();
            for (DatapathId dpid : claims.keySet()) {
                Optional<ChildData> node = cache.get(masterPath(dpid));
                boolean takenFromUs = node.isPresent() && node.get().getStat().getEphemeralOwner() != session;
                if (takenFromUs || !config.nodeId().equals(target.get(dpid)) || !connected.contains(dpid)) {
                    release.add(dpid);
                }
            }
            if (!release.isEmpty()) {
                release.forEach(claims::remove);
                publish(snapshot()); // demoted before the node goes, so two never act as master at once
                for (DatapathId dpid : release) {
                    deleteClaim(dpid, session);
                }
            }
            releaseStrays(target, session);
            for (Map.Entry<DatapathId, String> e : target.entrySet()) {
                DatapathId dpid = e.getKey();
                if (e.getValue().equals(config.nodeId()) && !claims.containsKey(dpid) && connected.contains(dpid)) {
                    claim(dpid, session);
                }
            }
            if (zkConnected) {
                publish(snapshot());
                boolean resumed;
                synchronized (servingLock) {
                    resumed = !serving && zkConnected; // not when the connection went meanwhile
                    serving = serving || zkConnected;
                }
                if (resumed) {
                    notifyListeners();
                }
            } else {
                publishIfLost();
            }
        } catch (Exception e) {
            log.warn("cluster member {}: deciding masterships failed ({}); trying again", config.nodeId(), e.toString());
            publishIfLost();
        }
    }

    /** Not connected: once the grace is over (no longer serving), the published decision is to master nothing. */
    private void publishIfLost() {
        if (!zkConnected && !serving) {
            publish(MasteredDatapaths.NONE);
        }
    }

    /** Keeps one ephemeral registration per connected datapath, and none for the others. */
    private void register() {
        for (DatapathId dpid : connected) {
            registrations.computeIfAbsent(dpid, d -> {
                PersistentNode node = new PersistentNode(client, CreateMode.EPHEMERAL, false,
                        datapathsPath + "/" + ZnodeNames.of(d) + "/" + config.nodeId(), new byte[0]);
                node.start();
                return node;
            });
        }
        registrations.entrySet().removeIf(e -> {
            if (connected.contains(e.getKey())) {
                return false;
            }
            closeQuietly(e.getValue());
            return true;
        });
    }

    private ClusterView read() {
        SortedSet<String> members = new TreeSet<>();
        Map<DatapathId, String> masters = new HashMap<>();
        Map<DatapathId, Long> terms = new HashMap<>();
        cache.stream().forEach(data -> {
            String path = data.getPath();
            String parent = path.substring(0, Math.max(0, path.lastIndexOf('/')));
            if (parent.equals(membersPath)) {
                members.add(ZnodeNames.leaf(path));
            } else if (parent.equals(mastersPath)) {
                ZnodeNames.datapath(ZnodeNames.leaf(path)).ifPresent(dpid -> {
                    String master = new String(data.getData() == null ? new byte[0] : data.getData(), StandardCharsets.UTF_8);
                    masters.put(dpid, master);
                    // every term, this instance's own left out by snapshot() from its claims: a node
                    // with this node id but not claimed is an earlier run's (killed, its session not
                    // yet expired), and its term is the one the switch knows
                    terms.put(dpid, data.getStat().getCzxid());
                });
            }
        });
        otherTerms = terms;
        return new ClusterView(members, masters);
    }

    /** For each datapath some member registered, the members connected to it. */
    private Map<DatapathId, Set<String>> connectedMembers() {
        Map<DatapathId, Set<String>> out = new HashMap<>();
        cache.stream().forEach(data -> {
            String path = data.getPath();
            if (!path.startsWith(datapathsPath + "/")) {
                return;
            }
            String[] rest = path.substring(datapathsPath.length() + 1).split("/");
            if (rest.length == 2) {
                ZnodeNames.datapath(rest[0]).ifPresent(dpid -> out.computeIfAbsent(dpid, d -> new HashSet<>()).add(rest[1]));
            }
        });
        // what this instance knows first-hand counts before the cache shows it
        for (DatapathId dpid : connected) {
            out.computeIfAbsent(dpid, d -> new HashSet<>()).add(config.nodeId());
        }
        return out;
    }

    private void claim(DatapathId dpid, long session) throws Exception {
        Optional<ChildData> held = cache.get(masterPath(dpid));
        if (held.isPresent()) {
            if (held.get().getStat().getEphemeralOwner() == session) {
                claims.put(dpid, held.get().getStat().getCzxid()); // ours already (a decision lost track of it)
            }
            return; // another's: its deletion wakes us
        }
        Stat stat = new Stat();
        try {
            client.create().storingStatIn(stat).withMode(CreateMode.EPHEMERAL)
                    .forPath(masterPath(dpid), config.nodeId().getBytes(StandardCharsets.UTF_8));
            claims.put(dpid, stat.getCzxid());
            log.info("cluster member {}: master of {} (generation {})", config.nodeId(), dpid, stat.getCzxid());
        } catch (KeeperException.NodeExistsException taken) {
            // the cache was behind: another holds it
        }
    }

    /**
     * Master nodes of this session that no claim records (a deletion that failed): kept when the
     * datapath is still this instance's, deleted again otherwise.
     */
    private void releaseStrays(Map<DatapathId, String> target, long session) {
        cache.stream().filter(data -> data.getPath().startsWith(mastersPath + "/")
                && data.getStat().getEphemeralOwner() == session).forEach(data ->
                ZnodeNames.datapath(ZnodeNames.leaf(data.getPath())).ifPresent(dpid -> {
                    if (claims.containsKey(dpid)) {
                        return;
                    }
                    if (config.nodeId().equals(target.get(dpid)) && connected.contains(dpid)) {
                        claims.put(dpid, data.getStat().getCzxid());
                    } else {
                        deleteClaim(dpid, session);
                    }
                }));
    }

    private void deleteClaim(DatapathId dpid, long session) {
        try {
            Stat stat = client.checkExists().forPath(masterPath(dpid));
            if (stat != null && stat.getEphemeralOwner() == session) {
                client.delete().withVersion(stat.getVersion()).forPath(masterPath(dpid));
                log.info("cluster member {}: gave up mastership of {}", config.nodeId(), dpid);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
            // gone already
        } catch (Exception e) {
            // still ours in ZooKeeper until the session ends, but no longer acted on: the next
            // decision tries again
            log.warn("cluster member {}: could not give up {} yet: {}", config.nodeId(), dpid, e.toString());
        }
    }

    private String masterPath(DatapathId dpid) {
        return mastersPath + "/" + ZnodeNames.of(dpid);
    }

    private MasteredDatapaths snapshot() {
        Map<DatapathId, Long> others = new HashMap<>(otherTerms);
        others.keySet().removeAll(claims.keySet());
        return new MasteredDatapaths(claims, others);
    }

    /** On the coordinator: the new decision is in effect for the write gate before anyone is told. */
    private void publish(MasteredDatapaths next) {
        if (next.equals(mastered)) {
            return;
        }
        masteredNothing = next.mastering(Map.of());
        mastered = next;
        notifyListeners();
    }

    /** Listeners read {@link #current()} when told, so a late notice never carries an old decision. */
    private void notifyListeners() {
        try {
            notifier.execute(() -> {
                MasteredDatapaths now = current();
                listeners.fire("mastership change", l -> l.accept(now));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("cluster member {}: closed, listeners not told", config.nodeId());
        }
    }

    /**
     * Leaves the cluster: masters nothing from now on, then ends the session, which deletes this
     * instance's nodes at once, so the others take its datapaths over without waiting for a
     * session timeout.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (servingLock) {
            serving = false; // at once: the coordinator may be busy
        }
        notifyListeners();
        try {
            coordinator.submit(() -> {
                closed = true;
                serving = false;
                publish(MasteredDatapaths.NONE);
                // The member node first: the others stop counting this member at once, rather than
                // while its registrations go one by one, which capped their shares and made them
                // give up datapaths of their own for a moment (bench cluster: 60 of 128 on SIGTERM).
                if (memberNode != null) {
                    closeQuietly(memberNode);
                }
                registrations.values().forEach(ClusterNode::closeQuietly);
                registrations.clear();
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            closed = true;
            log.warn("cluster member {}: leaving did not finish in order: {}", config.nodeId(), e.toString());
        }
        sharedState.close();
        coordinator.shutdownNow();
        graceTimer.shutdownNow();
        notifier.shutdown();
        try {
            notifier.awaitTermination(5, TimeUnit.SECONDS); // the last demotion reaches the switches before the session ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
        client.close();
    }

    private static void closeQuietly(PersistentNode node) {
        try {
            node.close();
        } catch (Exception e) {
            log.debug("closing {}: {}", node.getActualPath(), e.toString());
        }
    }
}
