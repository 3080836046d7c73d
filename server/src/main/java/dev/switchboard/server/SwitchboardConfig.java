package dev.switchboard.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The server's YAML configuration. Every key is optional and has a default; an unknown key
 * or a value of the wrong type is an error that names the key. Example:
 *
 * <pre>
 * openflow:
 *   listen: ["0.0.0.0:6653", "0.0.0.0:6633"]
 *   versions: ["1.0", "1.3", "1.4", "1.5"]
 *   handshakeTimeout: 10s
 *   echoInterval: 5s
 *   maxMissedEchoes: 3
 * apps:
 *   forwarding: {}
 *   routing:
 *     interfaces: [{gateway: 10.0.1.1/24}, {gateway: 10.0.2.1/24}]
 * </pre>
 */
public record SwitchboardConfig(@JsonProperty("openflow") OpenFlow openflow, @JsonProperty("ovsdb") Ovsdb ovsdb,
        @JsonProperty("apps") Map<String, Map<String, Object>> apps) {

    /**
     * @param apps the apps to run, by name, each with its own settings ({@code {}} or nothing
     *             when it has none); {@code --apps} on the command line picks others but the
     *             settings still come from here
     */
    public SwitchboardConfig {
        openflow = openflow == null ? new OpenFlow(null, null, null, null, null, null, null, null, null, null) : openflow;
        ovsdb = ovsdb == null ? new Ovsdb(null, null, null, null, null) : ovsdb;
        Map<String, Map<String, Object>> copy = new java.util.LinkedHashMap<>();
        if (apps != null) {
            apps.forEach((name, settings) -> copy.put(name, settings == null ? Map.of() : settings));
        }
        apps = java.util.Collections.unmodifiableMap(copy);
    }

    public static SwitchboardConfig defaults() {
        return new SwitchboardConfig(null, null, null);
    }

    /**
     * The {@code ovsdb:} section: OVSDB servers to manage, and the bridges they must have.
     *
     * @param connect     servers to connect to: {@code unix:PATH}, {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT}
     * @param listen      where servers connect to us ({@code ovs-vsctl set-manager tcp:OUR_IP:PORT}):
     *                    {@code ptcp:PORT[:HOST]}, {@code pssl:PORT[:HOST]}
     * @param tls         key, certificate and CA certificate (PEM) for ssl and pssl
     * @param controllers the controller targets the declared bridges get; default: this
     *                    controller's first OpenFlow address, as {@code tcp:HOST:PORT}
     * @param bridges     bridges every managed server must have, pointed at the controllers
     */
    public record Ovsdb(List<String> connect, List<String> listen, Tls tls, List<String> controllers, List<Bridge> bridges) {

        public Ovsdb {
            connect = connect == null ? List.of() : List.copyOf(connect);
            listen = listen == null ? List.of() : List.copyOf(listen);
            controllers = controllers == null ? List.of() : List.copyOf(controllers);
            bridges = bridges == null ? List.of() : List.copyOf(bridges);
        }

        public boolean isEmpty() {
            return connect.isEmpty() && listen.isEmpty();
        }
    }

    public record Tls(String privateKey, String certificate, String caCertificate) {
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

    /** The {@code openflow:} section; null means the default. */
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
            Boolean epoll) {
    }

    public static SwitchboardConfig load(Path file) {
        ObjectMapper yaml = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        try {
            if (Files.size(file) == 0) {
                return defaults();
            }
            SwitchboardConfig config = yaml.readValue(file.toFile(), SwitchboardConfig.class);
            config = config == null ? defaults() : config;
            config.controllerConfig();
            config.ovsdbEndpoints();
            return config;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + path(e) + "' (known: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": bad value at '" + path(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    /** Parses every OVSDB endpoint so that a typo fails at load time, naming it. */
    void ovsdbEndpoints() {
        for (String text : ovsdb.connect()) {
            Endpoint endpoint = Endpoint.parse(text);
            if (endpoint.isPassive()) {
                throw new IllegalArgumentException("ovsdb.connect: '" + text + "' is passive; put it under ovsdb.listen");
            }
        }
        for (String text : ovsdb.listen()) {
            if (!Endpoint.parse(text).isPassive()) {
                throw new IllegalArgumentException("ovsdb.listen: '" + text + "' is not passive (ptcp: or pssl:)");
            }
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** The controller settings this config describes. */
    public ControllerConfig.Builder controllerConfig() {
        ControllerConfig.Builder builder = ControllerConfig.builder();
        OpenFlow of = openflow;
        if (of.listen() != null) {
            builder.listen(of.listen().stream().map(SwitchboardConfig::address).toList());
        }
        if (of.versions() != null) {
            builder.versions(versions(of.versions()));
        }
        if (of.handshakeTimeout() != null) {
            builder.handshakeTimeout(DurationText.parse(of.handshakeTimeout()));
        }
        if (of.echoInterval() != null) {
            builder.echoInterval(DurationText.parse(of.echoInterval()));
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
            builder.requestTimeout(DurationText.parse(of.requestTimeout()));
        }
        if (of.eventLoopThreads() != null) {
            builder.eventLoopThreads(of.eventLoopThreads());
        }
        if (of.epoll() != null) {
            builder.useEpoll(of.epoll());
        }
        builder.build();
        return builder;
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

    /** {@code 1.0} … {@code 1.5}, or the OVS names {@code OpenFlow10} … {@code OpenFlow15}. */
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
            if (version.name().equals("OF_" + digits)) {
                return version;
            }
        }
        throw new IllegalArgumentException("unknown OpenFlow version '" + name + "' (use 1.0, 1.1, 1.2, 1.3, 1.4 or 1.5)");
    }

    /** A config file that cannot be used; the message names the file and the problem. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
