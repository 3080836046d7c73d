package dev.switchboard.controller;

/** Makes a string from a peer (a switch, a packet, an OVSDB server) safe to log: control characters
 * (CR, LF, ESC, ...) become escapes, so a peer cannot forge a log line or a terminal sequence. */
public final class PeerText {
    private PeerText() {
    }

    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\x%02x", (int) c & 0xff));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
