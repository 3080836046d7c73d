package dev.switchboard.server;

import dev.switchboard.controller.ControllerConfig;
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

    @Option(names = "--versions", split = ",", paramLabel = "V",
            description = "OpenFlow versions to offer, e.g. 1.0,1.3 (default 1.0 to 1.5).")
    List<String> versions;

    /** The configuration file's contents (defaults without --config). */
    SwitchboardConfig file() {
        return config == null ? SwitchboardConfig.defaults() : SwitchboardConfig.load(config);
    }

    ControllerConfig resolve() {
        ControllerConfig.Builder builder = file().controllerConfig();
        ControllerConfig base = builder.build();
        if (port != null || address != null || legacyPort) {
            String host = address != null ? address : base.listen().get(0).getHostString();
            int mainPort = port != null ? port : base.listen().get(0).getPort();
            List<InetSocketAddress> listen = new ArrayList<>();
            listen.add(new InetSocketAddress(host, mainPort));
            if (legacyPort && mainPort != ControllerConfig.LEGACY_PORT) {
                listen.add(new InetSocketAddress(host, ControllerConfig.LEGACY_PORT));
            }
            builder.listen(listen);
        }
        if (versions != null) {
            try {
                builder.versions(SwitchboardConfig.versions(versions));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage());
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        }
    }
}
