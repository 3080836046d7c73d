package dev.switchboard.ovsdb.jsonrpc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Collects the log events of this package (or another), DEBUG and up, from any thread, while
 * open; they go only here then, not to the console.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousAdditive;

    LogCapture() {
        this("dev.switchboard.ovsdb.jsonrpc");
    }

    /** Captures the logger {@code name} and those below it. */
    public LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        previousLevel = logger.getLevel();
        previousAdditive = logger.isAdditive();
        start();
        logger.addAppender(this);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
    }

    @Override
    protected void append(ILoggingEvent event) {
        events.add(event);
    }

    /** The formatted messages logged at {@code level}. */
    public List<String> messages(Level level) {
        return events.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.setAdditive(previousAdditive);
        logger.setLevel(previousLevel);
        logger.detachAppender(this);
        stop();
    }
}
