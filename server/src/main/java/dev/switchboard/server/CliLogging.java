package dev.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for commands whose output is what they print (the log goes to standard output
 * too). {@code SWITCHBOARD_LOG_LEVEL} in the environment leaves the configured levels alone.
 */
final class CliLogging {

    private CliLogging() {
    }

    /** Only errors: for {@code ovs} and {@code lab}, whose output scripts read. */
    static void errorsOnly() {
        set(Logger.ROOT_LOGGER_NAME, Level.ERROR);
    }

    /** The OVSDB client's connection chatter out of the way; the controller still logs what connects. */
    static void quietOvsdb() {
        set("dev.switchboard.ovsdb", Level.WARN);
    }

    private static void set(String logger, Level level) {
        if (System.getenv("SWITCHBOARD_LOG_LEVEL") == null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(logger).setLevel(level);
        }
    }
}
