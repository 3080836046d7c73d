package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.switchboard.controller.PeerText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's logback.xml keeps every message on one line, whatever a peer put in it. */
class OneLineMessageConverterTest {

    private static final String FORGED = "eth0\n12:00:00.000 ERROR SwitchRegistry - switch 1 hijacked\r\u001b[2J";

    /** Logs through a fresh context configured from the server's logback.xml; returns the console's lines. */
    private static List<String> logged(java.util.function.Consumer<Logger> logging) throws Exception {
        URL config = OneLineMessageConverterTest.class.getResource("/logback.xml");
        assertThat(config).as("server's logback.xml on the class path").isNotNull();
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            logging.accept(context.getLogger("dev.switchboard.test"));
        } finally {
            context.stop();
            System.setOut(console);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aPeerStringCannotForgeALogLine() throws Exception {
        // with the plain %msg this logged three lines, the second a well-formed forged ERROR
        List<String> lines = logged(log -> log.info("port {} is up", FORGED));
        assertThat(lines).singleElement().asString()
                .endsWith("INFO  test - port eth0\\n12:00:00.000 ERROR SwitchRegistry - switch 1 hijacked\\r\\x1b[2J is up")
                .doesNotContain("\u001b");
    }

    @Test
    void exceptionsStillPrintWithTheirStackTrace() throws Exception {
        List<String> lines = logged(log -> log.warn("probing {} failed", "s1\nforged", new IllegalStateException("broken")));
        assertThat(lines.get(0)).endsWith("WARN  test - probing s1\\nforged failed");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: broken");
        assertThat(lines.get(2)).startsWith("\tat dev.switchboard.server.OneLineMessageConverterTest");
    }

    @Test
    void controlCharactersBecomeEscapesAndTextEscapedAlreadyIsLeftAlone() {
        assertThat(OneLineMessageConverter.oneLine("a\tb\u0000c\u007fd\u0085e\u2028f")).isEqualTo("a\\tb\\x00c\\x7fd\\x85e\\x28f");
        assertThat(OneLineMessageConverter.oneLine(PeerText.escape("br0\nx\\y"))).isEqualTo("br0\\nx\\\\y");
        String plain = "switch 00:00:00:00:00:00:00:01 connected";
        assertThat(OneLineMessageConverter.oneLine(plain)).isSameAs(plain);
        assertThat(OneLineMessageConverter.oneLine(null)).isEqualTo("null");
    }

    @Test
    void peerTextEscapesControlsAndBackslashes() {
        assertThat(PeerText.escape("eth0\r\n\u001b[31m\\")).isEqualTo("eth0\\r\\n\\x1b[31m\\\\");
        assertThat(PeerText.escape(null)).isEqualTo("null");
    }
}
