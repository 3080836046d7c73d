package dev.switchboard.server;

import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.ControllerTls;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.ConfigSource;
import dev.switchboard.lab.yaml.YamlException;
import dev.switchboard.lab.yaml.YamlLimits;
import dev.switchboard.lab.yaml.YamlTree;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.rest.RestConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The server's YAML configuration. Every key is optional and has a default. An unknown key,
 * a duplicate key, a value of the wrong type or a value out of range is an error reading
 * {@code FILE:LINE: KEY.PATH: message}, as lab specs' errors do; the file is read within
 * {@link YamlLimits} (size, line length, nesting; aliases are refused). Example:
 *
 * <pre>
 * openflow:
 *   listen: ["ssl:0.0.0.0:6653", "tcp:127.0.0.1:6633"]   # HOST:PORT alone is tcp
 *   tls: {privateKey: ctl-privkey.pem, certificate: ctl-cert.pem, caCertificate: switchca/cacert.pem}
 *   versions: ["1.0", "1.3", "1.4", "1.5"]
 *   handshakeTimeout: 10s
 *   echoInterval: 5s
 *   maxMissedEchoes: 3
 * rest:
 *   address: 127.0.0.1                 # default; another address needs token or tokenFile
 *   port: 8080
 * apps:
 *   forwarding: {}
 *   routing:
 *     interfaces: [{gateway: 10.0.1.1/24}, {gateway: 10.0.2.1/24}]
 * </pre>
 */
public record SwitchboardConfig(OpenFlow openflow, Ovsdb ovsdb, Map<String, Map<String, Object>> apps, Rest rest,
        Cluster cluster, ConfigSource source) {

    /**
     * @param apps   the apps to run, by name, each with its own settings ({@code {}} or nothing
     *               when it has none); {@code --apps} on the command line picks others but the
     *               settings still come from here
     * @param source the file and the line of each key, for the apps' errors
     */
    public SwitchboardConfig {
        source = source == null ? ConfigSource.none() : source;
        openflow = openflow == null ? new OpenFlow(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null) : openflow;
        ovsdb = ovsdb == null ? new Ovsdb(null, null, null, null, null, null, null, null, null, null, null) : ovsdb;
        rest = rest == null ? new Rest(null, null, null, null, null) : rest;
        Map<String, Map<String, Object>> copy = new java.util.LinkedHashMap<>();
        if (apps != null) {
            apps.forEach((name, settings) -> copy.put(name, settings == null ? Map.of() : settings));
        }
        apps = java.util.Collections.unmodifiableMap(copy);
    }

    public SwitchboardConfig(OpenFlow openflow, Ovsdb ovsdb, Map<String, Map<String, Object>> apps) {
        this(openflow, ovsdb, apps, null, null, null);
    }

    public SwitchboardConfig(OpenFlow openflow, Ovsdb ovsdb, Map<String, Map<String, Object>> apps, ConfigSource source) {
        this(openflow, ovsdb, apps, null, null, source);
    }

    public SwitchboardConfig(OpenFlow openflow, Ovsdb ovsdb, Map<String, Map<String, Object>> apps, Rest rest,
            ConfigSource source) {
        this(openflow, ovsdb, apps, rest, null, source);
    }

    public static SwitchboardConfig defaults() {
        return new SwitchboardConfig(null, null, null);
    }

    /** An app's settings, whose errors name this file, their line and key. */
    public AppConfig appConfig(String app) {
        return AppConfig.of("apps." + app, apps.get(app), source);
    }

    /** The file's top level as bound, before the sections are checked. */
    private record Sections(OpenFlow openflow, Ovsdb ovsdb, Map<String, Map<String, Object>> apps, Rest rest,
            Cluster cluster) {
    }

    /**
     * The {@code cluster:} section: this instance is one of a controller cluster coordinated by
     * ZooKeeper (see {@link ClusterConfig}). Absent, the controller runs alone and masters every
     * switch. Example:
     *
     * <pre>
     * cluster:
     *   connect: zk1:2181,zk2:2181,zk3:2181
     *   nodeId: sb1
     *   sessionTimeout: 10s        # default; the failover time
     *   root: /switchboard         # default
     * </pre>
     *
     * @param connect        the ZooKeeper servers, {@code host:port[,host:port…]}
     * @param nodeId         this instance's name, unique in the cluster
     * @param sessionTimeout how long ZooKeeper keeps a silent instance's masterships, as {@code 10s}
     * @param root           the znode the cluster keeps its state under
     */
    public record Cluster(String connect, String nodeId, String sessionTimeout, String root) {

        /**
         * The cluster settings.
         *
         * @throws IllegalArgumentException starting with the key at fault ({@code cluster.nodeId: …})
         */
        public ClusterConfig clusterConfig() {
            if (connect == null || connect.isBlank()) {
                throw new IllegalArgumentException("cluster.connect: missing: the ZooKeeper servers, as host:port[,host:port...]");
            }
            for (String server : connect.trim().split(",")) {
                String hostPort = server.trim();
                int colon = hostPort.lastIndexOf(':');
                boolean ok = colon > 0 && colon < hostPort.length() - 1;
                if (ok) {
                    try {
                        int port = Integer.parseInt(hostPort.substring(colon + 1));
                        ok = port > 0 && port <= 65535;
                    } catch (NumberFormatException e) {
                        ok = false;
                    }
                }
                if (!ok) {
                    throw new IllegalArgumentException("cluster.connect: '" + server.trim()
                            + "' is not a ZooKeeper server as host:port (e.g. 127.0.0.1:2181)");
                }
            }
            if (nodeId == null || nodeId.isBlank()) {
                throw new IllegalArgumentException("cluster.nodeId: missing: this instance's name, unique in the cluster");
            }
            Duration timeout = sessionTimeout == null ? null : duration("cluster.sessionTimeout", sessionTimeout);
            String id = nodeId.trim();
            try {
                return new ClusterConfig(connect.trim(), id, timeout, root == null ? null : root.trim());
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                String key = message.startsWith("nodeId") ? "cluster.nodeId"
                        : message.startsWith("sessionTimeout") ? "cluster.sessionTimeout"
                        : message.startsWith("root") ? "cluster.root" : "cluster.connect";
                throw new IllegalArgumentException(key + ": " + message, e);
            }
        }
    }

    /** The cluster settings, or empty when this instance runs alone. */
    public Optional<ClusterConfig> clusterConfig() {
        return cluster == null ? Optional.empty() : Optional.of(cluster.clusterConfig());
    }

    /**
     * The {@code rest:} section: the REST API.
     *
     * @param enabled   serve it (default true)
     * @param address   where to listen (default 127.0.0.1); any other than loopback needs a token
     * @param port      default 8080; 0 picks a free port
     * @param token     the bearer token clients must send ({@code Authorization: Bearer TOKEN})
     * @param tokenFile a file holding the token (its first line), instead of {@code token}
     */
    public record Rest(Boolean enabled, String address, Integer port, String token, String tokenFile) {

        /**
         * The REST settings, the token file read.
         *
         * @throws IllegalArgumentException starting with the key at fault ({@code rest.port: …})
         */
        public RestConfig restConfig() {
            if (token != null && tokenFile != null) {
                throw new IllegalArgumentException("rest.tokenFile: give rest.token or rest.tokenFile, not both");
            }
            Optional<String> secret = Optional.ofNullable(token);
            if (tokenFile != null) {
                try {
                    secret = Files.readAllLines(Path.of(tokenFile.trim())).stream().findFirst().map(String::trim);
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new IllegalArgumentException("rest.tokenFile: cannot read " + tokenFile + ": " + e.getMessage(), e);
                }
                if (secret.isEmpty() || secret.get().isEmpty()) {
                    throw new IllegalArgumentException("rest.tokenFile: " + tokenFile + " is empty");
                }
            } else if (token != null && token.isBlank()) {
                throw new IllegalArgumentException("rest.token: empty");
            }
            RestConfig base = RestConfig.defaults();
            RestConfig config = new RestConfig(enabled == null || enabled, address == null ? base.address() : address.trim(),
                    port == null ? base.port() : port, secret);
            config.checkAccess();
            return config;
        }
    }

    /**
     * The {@code ovsdb:} section: OVSDB servers to manage, and the bridges they must have.
     *
     * @param connect     servers to connect to: {@code unix:PATH}, {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT}
     * @param listen      where servers connect to us ({@code ovs-vsctl set-manager tcp:OUR_IP:PORT}):
     *                    {@code ptcp:PORT[:HOST]}, {@code pssl:PORT[:HOST]}
     * @param tls         key, certificate and CA certificate (PEM) for ssl and pssl
     * @param controllers the controller targets the declared bridges get; default: this
     *                    controller's OpenFlow addresses, as {@code tcp:HOST:PORT} or, for TLS
     *                    ones, {@code ssl:HOST:PORT}
     * @param bridges     bridges every managed server must have, pointed at the controllers
     * @param maxConnections    most OVSDB servers connected to each {@code listen} endpoint at once (default 64)
     * @param maxMessageBytes   largest JSON-RPC message accepted from a server (default 64 MiB: a big
     *                          database's first monitor reply)
     * @param peerMemoryBytes   per-server budget of answers to its requests queued unsent (default 8 MiB)
     * @param unwritableTimeout how long a server may leave what we send unread before it is
     *                          disconnected, as {@code 15s} (the default)
     * @param inboundBudgetBytes bytes of unfinished messages all servers together may make us hold
     *                          (default 128 MiB, never less than maxMessageBytes)
     * @param overlay     hypervisors joined by tunnels: see {@link Overlay}; null for none
     */
    public record Ovsdb(List<String> connect, List<String> listen, Tls tls, List<String> controllers, List<Bridge> bridges,
            Integer maxConnections, Integer maxMessageBytes, Long peerMemoryBytes, String unwritableTimeout,
            Long inboundBudgetBytes, Overlay overlay) {

        public Ovsdb {
            connect = connect == null ? List.of() : List.copyOf(connect);
            listen = listen == null ? List.of() : List.copyOf(listen);
            controllers = controllers == null ? List.of() : List.copyOf(controllers);
            bridges = bridges == null ? List.of() : List.copyOf(bridges);
        }

        public Ovsdb(List<String> connect, List<String> listen, Tls tls, List<String> controllers, List<Bridge> bridges,
                Integer maxConnections, Integer maxMessageBytes, Long peerMemoryBytes, String unwritableTimeout,
                Long inboundBudgetBytes) {
            this(connect, listen, tls, controllers, bridges, maxConnections, maxMessageBytes, peerMemoryBytes,
                    unwritableTimeout, inboundBudgetBytes, null);
        }

        /** This section with more passive endpoints (where hypervisors made at run time reach us). */
        public Ovsdb withListen(List<String> more) {
            List<String> all = new java.util.ArrayList<>(listen);
            all.addAll(more);
            return new Ovsdb(connect, all, tls, controllers, bridges, maxConnections, maxMessageBytes, peerMemoryBytes,
                    unwritableTimeout, inboundBudgetBytes, overlay);
        }

        public boolean isEmpty() {
            return connect.isEmpty() && listen.isEmpty();
        }

        /**
         * The JSON-RPC options these keys give, over {@code base}.
         *
         * @throws IllegalArgumentException naming the key of a bad value
         */
        public dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions jsonRpcOptions(dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions base) {
            var options = base;
            try {
                if (maxConnections != null) {
                    options = options.withMaxConnections(maxConnections);
                }
                if (maxMessageBytes != null) {
                    options = options.withMaxMessageBytes(maxMessageBytes);
                }
                if (peerMemoryBytes != null) {
                    options = options.withPeerMemoryBytes(peerMemoryBytes);
                }
                if (unwritableTimeout != null) {
                    options = options.withUnwritableTimeout(DurationText.parse(unwritableTimeout));
                }
                if (inboundBudgetBytes != null) {
                    options = options.withInboundBudgetBytes(inboundBudgetBytes);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ovsdb (maxConnections, maxMessageBytes, peerMemoryBytes, "
                        + "unwritableTimeout, inboundBudgetBytes): " + e.getMessage(), e);
            }
            return options;
        }
    }

    public record Tls(String privateKey, String certificate, String caCertificate) {
    }

    /**
     * The {@code ovsdb.overlay:} section: hypervisors, each an OVS that Switchboard manages, joined
     * by tunnels. On every host that connects and whose {@code external_ids:system-id} is one of
     * {@code hosts}, each network's bridge is made (pointed at this controller) with a tunnel port
     * to every other host: {@code remote_ip} the other's {@code tunnelIp}, {@code local_ip} its
     * own, {@code key} the network's VNI. Networks are kept apart by their VNI on the wire and by
     * being different bridges. Example:
     *
     * <pre>
     * overlay:
     *   hosts: [{name: hv1, tunnelIp: 192.168.77.1}, {name: hv2, tunnelIp: 192.168.77.2}]
     *   networks: [{bridge: br-int, vni: 100}, {bridge: br-blue, vni: 200}]
     * </pre>
     *
     * @param type     {@code vxlan} (the default), {@code geneve} or {@code gre}
     * @param hosts    the hypervisors, by system-id, with their tunnel (underlay) address
     * @param networks each a bridge on every host and the VNI its tunnels carry
     */
    public record Overlay(String type, List<OverlayHost> hosts, List<OverlayNetwork> networks) {
        public Overlay {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            networks = networks == null ? List.of() : List.copyOf(networks);
        }
    }

    /** A hypervisor of the overlay: its {@code external_ids:system-id} and its tunnel (underlay) IPv4 address. */
    public record OverlayHost(String name, String tunnelIp) {
    }

    /**
     * A network of the overlay: its bridge on every host (settings from {@code ovsdb.bridges} when
     * declared there too, else fail mode secure) and the tunnel key (VNI, 0 to 16777215) of its tunnels.
     */
    public record OverlayNetwork(String bridge, Long vni, List<String> protocols) {
        public OverlayNetwork {
            protocols = protocols == null ? List.of() : List.copyOf(protocols);
        }
    }

    /** A declared bridge; unset keys are left as OVS has them, except {@code failMode} ({@code secure} unless set). */
    public record Bridge(String name, String datapathType, String failMode, List<String> protocols,
            Map<String, String> otherConfig, Map<String, String> externalIds) {

        public Bridge {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("every bridge under ovsdb.bridges needs a name");
            }
            protocols = protocols == null ? List.of() : List.copyOf(protocols);
            otherConfig = otherConfig == null ? Map.of() : Map.copyOf(otherConfig);
            externalIds = externalIds == null ? Map.of() : Map.copyOf(externalIds);
        }
    }

    /**
     * The {@code openflow:} section; null means the default. The limits ({@code maxSwitches},
     * {@code maxPendingConnections}, {@code peerBufferBytes}, {@code maxUnwritable}, {@code maxReplyBytes}) are
     * described in {@link ControllerConfig}.
     *
     * @param listen where switches connect: {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT} (OpenFlow
     *               over TLS, {@code ovs-vsctl set-controller BR ssl:HOST:PORT}), or {@code HOST:PORT},
     *               which is tcp
     * @param tls    for the ssl: addresses: the controller's key and certificate, and the CA that
     *               signs the switches' certificates (PEM, as {@code ovs-vsctl set-ssl} takes them)
     */
    public record OpenFlow(
            List<String> listen,
            List<String> versions,
            String handshakeTimeout,
            String echoInterval,
            Integer maxMissedEchoes,
            Integer maxMessageBytes,
            Integer missSendLength,
            String requestTimeout,
            Integer eventLoopThreads,
            Boolean epoll,
            Tls tls,
            Integer maxSwitches,
            Integer maxPendingConnections,
            Integer peerBufferBytes,
            String maxUnwritable,
            Integer maxReplyBytes) {
    }

    /**
     * Reads and checks a config file.
     *
     * @throws ConfigException naming the file, line and key of every problem of the YAML
     *                         itself (duplicate keys, aliases), or of the first problem of a value
     */
    public static SwitchboardConfig load(Path file) {
        String name = file.toString();
        YamlTree.Document document;
        try {
            document = YamlTree.parse(YamlLimits.read(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage());
        } catch (YamlException e) {
            throw new ConfigException(e.issue().format(name));
        }
        if (!document.issues().isEmpty()) {
            throw new ConfigException(document.issues().stream().map(issue -> issue.format(name))
                    .collect(Collectors.joining("\n")));
        }
        if (document.root() == null) {
            return defaults();
        }
        ConfigSource source = new ConfigSource(name, YamlTree.lines(document.root()));
        if (!(document.root() instanceof YamlTree.Mapping)) {
            throw new ConfigException(source.describe("", "the file must be a mapping of sections (openflow, ovsdb, apps, rest, cluster)"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) YamlTree.plain(document.root());
        try {
            Sections sections = AppConfig.of("", tree, source).bind(Sections.class, SwitchboardConfig::check);
            return new SwitchboardConfig(sections.openflow(), sections.ovsdb(), sections.apps(), sections.rest(),
                    sections.cluster(), source);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Checks what binding alone does not; the message starts with the key at fault. */
    private static void check(Sections sections) {
        SwitchboardConfig config = new SwitchboardConfig(sections.openflow(), sections.ovsdb(), sections.apps(),
                sections.rest(), sections.cluster(), null);
        config.controllerConfig();
        config.rest().restConfig();
        config.clusterConfig();
        config.ovsdbEndpoints();
        if (config.ovsdb().overlay() != null) {
            OverlayPlan.check(config.ovsdb().overlay());
        }
    }

    /** Parses every OVSDB endpoint so that a typo fails at load time, naming it. */
    void ovsdbEndpoints() {
        for (int i = 0; i < ovsdb.connect().size(); i++) {
            String text = ovsdb.connect().get(i);
            Endpoint endpoint = keyed("ovsdb.connect[" + i + "]", () -> Endpoint.parse(text));
            if (endpoint.isPassive()) {
                throw new IllegalArgumentException("ovsdb.connect[" + i + "]: '" + text + "' is passive; put it under ovsdb.listen");
            }
        }
        for (int i = 0; i < ovsdb.listen().size(); i++) {
            String text = ovsdb.listen().get(i);
            if (!keyed("ovsdb.listen[" + i + "]", () -> Endpoint.parse(text)).isPassive()) {
                throw new IllegalArgumentException("ovsdb.listen[" + i + "]: '" + text + "' is not passive (ptcp: or pssl:)");
            }
        }
        ovsdb.jsonRpcOptions(dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions.defaults()); // the limits, checked now
    }

    /** Runs {@code parse}; its {@link IllegalArgumentException} is prefixed with the key. */
    private static <T> T keyed(String key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Duration duration(String key, String text) {
        return keyed(key, () -> DurationText.parse(text));
    }

    /**
     * The controller settings this config describes.
     *
     * @throws IllegalArgumentException starting with the key at fault ({@code openflow.listen[1]: …})
     */
    public ControllerConfig.Builder controllerConfig() {
        try {
            return openflowBuilder();
        } catch (IllegalArgumentException e) {
            throw openflowKeyed(e);
        }
    }

    private ControllerConfig.Builder openflowBuilder() {
        ControllerConfig.Builder builder = ControllerConfig.builder();
        OpenFlow of = openflow;
        if (of.listen() != null) {
            List<Listen> targets = new java.util.ArrayList<>();
            for (int i = 0; i < of.listen().size(); i++) {
                targets.add(Listen.parse("openflow.listen[" + i + "]", of.listen().get(i)));
            }
            builder.listen(Listen.addresses(targets, false)).tlsListen(Listen.addresses(targets, true));
            for (int i = 0; i < targets.size() && of.tls() == null; i++) {
                if (targets.get(i).tls()) {
                    throw new IllegalArgumentException("openflow.listen[" + i + "]: '" + targets.get(i).text()
                            + "' needs openflow.tls (privateKey, certificate, caCertificate: PEM files, as for ovs-vsctl set-ssl)");
                }
            }
        }
        if (of.tls() != null) {
            builder.tls(controllerTls("openflow.tls", of.tls()));
        }
        if (of.versions() != null) {
            Set<OFVersion> versions = EnumSet.noneOf(OFVersion.class);
            for (int i = 0; i < of.versions().size(); i++) {
                String name = of.versions().get(i);
                versions.add(keyed("openflow.versions[" + i + "]", () -> version(name)));
            }
            builder.versions(versions);
        }
        if (of.handshakeTimeout() != null) {
            builder.handshakeTimeout(duration("openflow.handshakeTimeout", of.handshakeTimeout()));
        }
        if (of.echoInterval() != null) {
            builder.echoInterval(duration("openflow.echoInterval", of.echoInterval()));
        }
        if (of.maxMissedEchoes() != null) {
            builder.maxMissedEchoes(of.maxMissedEchoes());
        }
        if (of.maxMessageBytes() != null) {
            builder.maxMessageBytes(of.maxMessageBytes());
        }
        if (of.missSendLength() != null) {
            builder.missSendLength(of.missSendLength());
        }
        if (of.requestTimeout() != null) {
            builder.requestTimeout(duration("openflow.requestTimeout", of.requestTimeout()));
        }
        if (of.eventLoopThreads() != null) {
            builder.eventLoopThreads(of.eventLoopThreads());
        }
        if (of.epoll() != null) {
            builder.useEpoll(of.epoll());
        }
        if (of.maxSwitches() != null) {
            builder.maxSwitches(of.maxSwitches());
        }
        if (of.maxPendingConnections() != null) {
            builder.maxPendingConnections(of.maxPendingConnections());
        }
        if (of.peerBufferBytes() != null) {
            builder.peerBufferBytes(of.peerBufferBytes());
        }
        if (of.maxUnwritable() != null) {
            builder.maxUnwritable(DurationText.parse(of.maxUnwritable()));
        }
        if (of.maxReplyBytes() != null) {
            builder.maxReplyBytes(of.maxReplyBytes());
        }
        builder.build();
        return builder;
    }

    /**
     * A controller setting's refusal, at its key: the builder's messages start with the setting's
     * name, which is the key's (see {@link OpenFlow}).
     */
    private static IllegalArgumentException openflowKeyed(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("openflow")) {
            return e;
        }
        String first = message.split("[ :]", 2)[0];
        boolean isKey = Arrays.stream(OpenFlow.class.getRecordComponents()).map(RecordComponent::getName).anyMatch(first::equals);
        return new IllegalArgumentException((isKey ? "openflow." + first : "openflow") + ": " + message, e);
    }

    /**
     * An OpenFlow listen address as the config and the command line write it.
     *
     * @param tls  {@code ssl:} (true) or {@code tcp:} (false)
     * @param text as written, for messages
     */
    record Listen(boolean tls, InetSocketAddress address, String text) {

        /**
         * {@code ssl:ADDRESS}, {@code tcp:ADDRESS} or a bare {@code ADDRESS} (tcp), where ADDRESS is
         * {@code HOST:PORT}, {@code :PORT} or {@code PORT}.
         *
         * @param key where the text came from, named in errors
         */
        static Listen parse(String key, String text) {
            if (text == null) {
                throw new IllegalArgumentException(key + ": an empty entry (use ssl:HOST:PORT or tcp:HOST:PORT)");
            }
            String trimmed = text.trim();
            int colon = trimmed.indexOf(':');
            String scheme = colon < 0 ? "" : trimmed.substring(0, colon);
            try {
                return switch (scheme) {
                    case "ssl" -> new Listen(true, SwitchboardConfig.address(trimmed.substring(colon + 1)), trimmed);
                    case "tcp" -> new Listen(false, SwitchboardConfig.address(trimmed.substring(colon + 1)), trimmed);
                    case "pssl", "ptcp", "unix", "punix" -> throw new IllegalArgumentException("'" + text
                            + "' is not an OpenFlow listen address; write ssl:HOST:PORT or tcp:HOST:PORT");
                    default -> new Listen(false, SwitchboardConfig.address(trimmed), trimmed);
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }

        static List<InetSocketAddress> addresses(List<Listen> targets, boolean tls) {
            return targets.stream().filter(t -> t.tls() == tls).map(Listen::address).toList();
        }
    }

    /** The three PEM files of {@code key}; each must be given. */
    static ControllerTls controllerTls(String key, Tls tls) {
        return new ControllerTls(file(key + ".privateKey", tls.privateKey()), file(key + ".certificate", tls.certificate()),
                file(key + ".caCertificate", tls.caCertificate()));
    }

    private static Path file(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": missing (a PEM file)");
        }
        return Path.of(value.trim());
    }

    /** {@code HOST:PORT}, {@code :PORT} or {@code PORT}; no host means every address. */
    static InetSocketAddress address(String text) {
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        String host = colon < 0 ? "" : trimmed.substring(0, colon);
        String port = colon < 0 ? trimmed : trimmed.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address like 0.0.0.0:6653");
        }
        if (number < 0 || number > 65535) {
            throw new IllegalArgumentException("port " + number + " in '" + text + "' is out of range");
        }
        return host.isEmpty() ? new InetSocketAddress(number) : new InetSocketAddress(host, number);
    }

    /**
     * {@code 1.0}, {@code 1.2} … {@code 1.5}, or the OVS names {@code OpenFlow10} …
     * {@code OpenFlow15}. 1.1 is refused: see {@link ControllerConfig#DEFAULT_VERSIONS}.
     */
    static Set<OFVersion> versions(List<String> names) {
        Set<OFVersion> versions = EnumSet.noneOf(OFVersion.class);
        for (String name : names) {
            versions.add(version(name));
        }
        return versions;
    }

    static OFVersion version(String name) {
        String digits = name.trim().replace("OpenFlow", "").replace("OF", "").replace(".", "").replace("_", "");
        for (OFVersion version : OFVersion.values()) {
            if (version == OFVersion.OF_11 && version.name().equals("OF_" + digits)) {
                throw new IllegalArgumentException("OpenFlow 1.1 ('" + name + "') is not supported: openflowj cannot"
                        + " build 1.1 matches, so no app could install flows (use 1.0, 1.2, 1.3, 1.4 or 1.5)");
            }
            if (version.name().equals("OF_" + digits)) {
                return version;
            }
        }
        throw new IllegalArgumentException("unknown OpenFlow version '" + name + "' (use 1.0, 1.2, 1.3, 1.4 or 1.5)");
    }

    /** A config file that cannot be used; the message names the file and the problem. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
