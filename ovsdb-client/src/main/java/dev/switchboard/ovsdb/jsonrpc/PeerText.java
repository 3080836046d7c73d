package dev.switchboard.ovsdb.jsonrpc;

/**
 * Makes text that came from an OVSDB peer (JSON, error details, table and row names) safe to put
 * in a log line or an error message: control characters, including CR and LF, and Unicode line
 * and paragraph separators become visible escapes ({@code \n}, {@code \r}, {@code \t},
 * {@code \\u001b}) and very long text is cut, so a peer cannot start a second, forged log line.
 * Backslashes are left alone: JSON in a log line stays readable, and a literal "\\n" breaks no line.
 *
 * <p>The controller module has its own {@code dev.switchboard.controller.PeerText} with the same
 * rules: {@code controller} and {@code ovsdb-client} must not depend on each other, so each keeps
 * this small helper.
 */
public final class PeerText {

    /** The longest text kept by {@link #escape(String)}, in characters, before the cut. */
    public static final int MAX_CHARS = 1000;

    private PeerText() {
    }

    /** {@code text} escaped and cut at {@link #MAX_CHARS}; "null" for null. */
    public static String escape(String text) {
        return escape(text, MAX_CHARS);
    }

    /** {@code text} escaped and cut at {@code maxChars} characters of input (an ellipsis marks the cut). */
    public static String escape(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        int length = Math.min(text.length(), maxChars);
        StringBuilder out = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(length + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        String kept = out != null ? out.toString() : text.substring(0, length);
        return length < text.length() ? kept + "…" : kept;
    }

    /** {@code String.valueOf(value)} escaped: for JSON nodes, exceptions and other peer-made objects. */
    public static String escape(Object value) {
        return escape(String.valueOf(value));
    }

    private static String replacement(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                    return String.format("\\u%04x", (int) c);
                }
                return null;
        }
    }
}
