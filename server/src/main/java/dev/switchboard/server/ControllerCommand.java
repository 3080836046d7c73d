package dev.switchboard.server;

import dev.switchboard.controller.ControllerConfig;
import java.util.List;
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
            description = "Apps to run, comma-separated. So far: normal (every switch forwards with OVS's NORMAL).")
    List<String> apps;

    @Override
    public Integer call() throws InterruptedException {
        ControllerConfig config = options.resolve();
        Switchboard switchboard;
        try {
            switchboard = Switchboard.start(config, options.file().ovsdb(), apps == null ? List.of() : apps);
        } catch (java.io.UncheckedIOException e) {
            throw new UserFacingException(e.getMessage() + " (is another controller running? try --port)", e);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            switchboard.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
