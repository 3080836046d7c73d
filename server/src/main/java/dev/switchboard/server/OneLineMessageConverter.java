package dev.switchboard.server;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg}, kept on one line: CR, LF and every other control character of the
 * formatted message (ESC, NUL, C1 controls, U+2028/U+2029) is written as an escape
 * ({@code \n}, {@code \r}, {@code \t}, {@code \xNN}). A backstop for call sites that forgot
 * {@link dev.switchboard.controller.PeerText#escape}: whatever a switch or OVSDB server puts in
 * a name, it cannot start a forged log line or send the terminal a sequence. Backslashes are
 * left alone, so text a call site escaped already is not escaped twice. Installed for
 * {@code %msg}, {@code %m} and {@code %message} by {@code logback.xml}; exceptions ({@code %ex})
 * print as usual.
 */
public final class OneLineMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return oneLine(event.getFormattedMessage());
    }

    static String oneLine(String message) {
        if (message == null) {
            return "null";
        }
        int first = firstControl(message);
        if (first < 0) {
            return message; // the common case: no copy
        }
        StringBuilder out = new StringBuilder(message.length() + 16).append(message, 0, first);
        for (int i = first; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\x%02x", (int) c & 0xff));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int firstControl(String message) {
        for (int i = 0; i < message.length(); i++) {
            if (isControl(message.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }
}
