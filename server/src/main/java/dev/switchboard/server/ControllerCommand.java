package dev.switchboard.server;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.rest.RestConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard controller}: runs the controller in the foreground until Ctrl-C. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Run the OpenFlow controller in the foreground; Ctrl-C stops it.")
final class ControllerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ControllerCommand.class);

    @Mixin
    ControllerOptions options = new ControllerOptions();

    @Option(names = "--apps", split = ",", paramLabel = "APP",
            description = "Apps to run, comma-separated, e.g. l2-learning or forwarding,routing; the apps they "
                    + "need start with them. Default: the config file's apps section. --list-apps shows them all.")
    List<String> apps;

    @Option(names = "--rest-port", paramLabel = "PORT",
            description = "REST API port (default 8080, or the config's rest.port; 0 picks a free one).")
    Integer restPort;

    @Option(names = "--rest-address", paramLabel = "ADDR",
            description = "REST API address (default 127.0.0.1, or the config's rest.address); any other than "
                    + "loopback needs rest.token or rest.tokenFile in the config.")
    String restAddress;

    @Option(names = "--no-rest", description = "Do not serve the REST API.")
    boolean noRest;

    @Option(names = "--list-apps", description = "List the apps on the class path, with their flow cookies, and exit.")
    boolean listApps;

    @Override
    public Integer call() throws InterruptedException {
        if (listApps) {
            listApps();
            return 0;
        }
        ControllerConfig config = options.resolve();
        SwitchboardConfig file = options.file();
        List<String> names = apps != null ? apps : List.copyOf(file.apps().keySet());
        Switchboard switchboard;
        try {
            switchboard = Switchboard.start(config, file.ovsdb(), names, file::appConfig, restConfig(file),
                    file.clusterConfig());
        } catch (java.io.UncheckedIOException e) {
            throw new UserFacingException(e.getMessage() + " (is another controller running? try --port)", e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        log.info("running apps: {}", switchboard.apps().isEmpty() ? "none" : String.join(", ", switchboard.apps()));
        switchboard.cluster().ifPresent(node -> log.info("cluster member {}: switches' roles follow the cluster's mastership",
                node.nodeId()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            switchboard.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** The config's rest section with the command line's options over it. */
    private RestConfig restConfig(SwitchboardConfig file) {
        try {
            RestConfig rest = file.rest().restConfig();
            if (restAddress != null) {
                rest = rest.withAddress(restAddress.trim());
            }
            if (restPort != null) {
                rest = rest.withPort(restPort);
            }
            if (noRest) {
                rest = new RestConfig(false, rest.address(), rest.port(), rest.token());
            }
            rest.checkAccess();
            return rest;
        } catch (IllegalArgumentException e) {
            throw new UserFacingException((restAddress != null || restPort != null
                    ? e.getMessage().replace("rest.address: ", "--rest-address: ").replace("rest.port: ", "--rest-port: ")
                    : e.getMessage()), e);
        }
    }

    private static void listApps() {
        Map<String, SwitchboardApp> available = AppRuntime.available(ControllerCommand.class.getClassLoader());
        System.out.printf("%-14s %-20s %-28s %s%n", "APP", "COOKIE", "CONSUMES", "WHAT IT DOES");
        available.forEach((name, app) -> System.out.printf("%-14s %-20s %-28s %s%n", name,
                AppCookies.cookie(app), app.consumes().isEmpty() ? "-"
                        : String.join(",", app.consumes().stream().map(Class::getSimpleName).toList()),
                app.description()));
    }
}
