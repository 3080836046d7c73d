package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Small text helpers for what the commands print. Stateless. */
final class Text {

    private Text() {
    }

    /**
     * {@code text} safe for a terminal: control characters (a port name or an error a switch sent
     * could carry escape sequences) written as {@code \xNN}; null as {@code -}.
     */
    static String printable(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (control) {
                out.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** {@code 42s}, {@code 5m}, {@code 3h}, {@code 4d}: how long, roughly. */
    static String roughly(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 48 * 3600) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }

    /** {@code 1 flow}, {@code 2 flows}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code 1.9 s}; whole seconds from 100 s on. */
    static String seconds(long millis) {
        if (millis >= 100_000) {
            return Math.round(millis / 1000.0) + " s";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** A 64-bit cookie as the API writes it ({@code 0x0000000000000c11}) without the leading zeros: {@code 0xc11}. */
    static String shortHex(String hex) {
        if (hex == null || !hex.startsWith("0x")) {
            return printable(hex);
        }
        String digits = hex.substring(2).replaceFirst("^0+(?=.)", "");
        return "0x" + printable(digits);
    }

    /** The strings of a JSON array, comma-separated; {@code -} for none. */
    static String joined(JsonNode strings) {
        if (strings.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        strings.forEach(s -> text.append(text.length() == 0 ? "" : ",").append(s.asText()));
        return text.toString();
    }
}
