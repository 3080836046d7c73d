package dev.switchboard.server;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.ControllerTls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The controller options shared by {@code controller} and {@code demo}; command line wins over the file. */
final class ControllerOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--port", paramLabel = "PORT", description = "OpenFlow port (default 6653, or the config's).")
    Integer port;

    @Option(names = "--address", paramLabel = "ADDR", description = "Address to listen on (default all).")
    String address;

    @Option(names = "--legacy-port", description = "Also listen on the pre-IANA OpenFlow port 6633.")
    boolean legacyPort;

    @Option(names = "--listen", split = ",", paramLabel = "TARGET",
            description = "Where switches connect, in place of the config's openflow.listen: ssl:HOST:PORT "
                    + "(OpenFlow over TLS; needs the three TLS files), tcp:HOST:PORT or HOST:PORT.")
    List<String> listen;

    @Option(names = "--private-key", paramLabel = "FILE",
            description = "TLS: the controller's private key (PEM), in place of openflow.tls.privateKey.")
    Path privateKey;

    @Option(names = "--certificate", paramLabel = "FILE",
            description = "TLS: the controller's certificate (PEM), in place of openflow.tls.certificate.")
    Path certificate;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "TLS: the CA certificate switches' certificates must chain to (PEM; with ovs-pki, "
                    + "switchca/cacert.pem), in place of openflow.tls.caCertificate.")
    Path caCertificate;

    @Option(names = "--versions", split = ",", paramLabel = "V",
            description = "OpenFlow versions to offer, e.g. 1.0,1.3 (default 1.0 and 1.2 to 1.5; 1.1 is not supported).")
    List<String> versions;

    /** The configuration file's contents (defaults without --config). */
    SwitchboardConfig file() {
        return config == null ? SwitchboardConfig.defaults() : SwitchboardConfig.load(config);
    }

    ControllerConfig resolve() {
        ControllerConfig.Builder builder = file().controllerConfig();
        ControllerConfig base = builder.build();
        boolean onePort = port != null || address != null || legacyPort;
        try {
            List<InetSocketAddress> tcp = base.listen();
            List<InetSocketAddress> ssl = base.tlsListen();
            if (listen != null) {
                if (onePort) {
                    throw new UserFacingException("--listen names every address: give --port, --address and "
                            + "--legacy-port in it instead");
                }
                List<SwitchboardConfig.Listen> targets = listen.stream()
                        .map(text -> SwitchboardConfig.Listen.parse("--listen", text)).toList();
                tcp = SwitchboardConfig.Listen.addresses(targets, false);
                ssl = SwitchboardConfig.Listen.addresses(targets, true);
            } else if (onePort) {
                // The one address keeps the transport of the config's first.
                boolean secure = tcp.isEmpty();
                InetSocketAddress first = secure ? ssl.get(0) : tcp.get(0);
                String host = address != null ? address : first.getHostString();
                int mainPort = port != null ? port : first.getPort();
                List<InetSocketAddress> addresses = new ArrayList<>();
                addresses.add(new InetSocketAddress(host, mainPort));
                if (legacyPort && mainPort != ControllerConfig.LEGACY_PORT) {
                    addresses.add(new InetSocketAddress(host, ControllerConfig.LEGACY_PORT));
                }
                tcp = secure ? List.of() : addresses;
                ssl = secure ? addresses : List.of();
            }
            builder.listen(tcp).tlsListen(ssl);
            ControllerTls tls = tls();
            if (tls != null) {
                builder.tls(tls);
            } else if (base.tls() == null && !ssl.isEmpty()) {
                throw new UserFacingException("ssl: listen addresses need --private-key, --certificate and "
                        + "--ca-cert (or openflow.tls in the config)");
            }
            if (versions != null) {
                builder.versions(SwitchboardConfig.versions(versions));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        }
    }

    private ControllerTls tls() {
        if (privateKey == null && certificate == null && caCertificate == null) {
            return null;
        }
        if (privateKey == null || certificate == null || caCertificate == null) {
            throw new UserFacingException("TLS needs all three of --private-key, --certificate and --ca-cert");
        }
        return new ControllerTls(privateKey, certificate, caCertificate);
    }
}
