package dev.switchboard.server;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchboard controller}: runs the controller in the foreground until Ctrl-C. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Run the OpenFlow controller in the foreground; Ctrl-C stops it.")
final class ControllerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ControllerCommand.class);

    @Mixin
    ControllerOptions options = new ControllerOptions();

    @Override
    public Integer call() throws InterruptedException {
        ControllerConfig config = options.resolve();
        Controller controller = new Controller(config);
        try {
            controller.start();
        } catch (RuntimeException e) {
            controller.close();
            throw new UserFacingException(e.getMessage() + " (is another controller running? try --port)", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            controller.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
