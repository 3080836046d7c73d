package dev.switchboard.controller;

/**
 * Makes text that came from a peer (a switch's port names and DESC strings, error data, a
 * JSON value…) safe to log: a switch could otherwise end a log line and write a forged one
 * (newline, timestamp, {@code ERROR}), or hide text with terminal escapes.
 *
 * <p>{@link #escape} keeps printable characters, writes {@code \n}, {@code \r}, {@code \t}
 * and {@code \\} as those two-character escapes, every other control or format character
 * (C0, DEL, C1, Unicode line and paragraph separators, bidirectional overrides…) as
 * {@code \xNN} or a backslash, {@code u} and four hex digits, and cuts what is longer than {@link #MAX_CHARS}. The result
 * is one line, and tells apart a peer's real newline from the two characters {@code \n}.
 */
public final class PeerText {
    /** More than any OpenFlow string (DESC fields are 256 bytes); enough to see what a peer sent. */
    public static final int MAX_CHARS = 512;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PeerText() {
    }

    /** {@code text} escaped for a log line, at most {@link #MAX_CHARS} of it; {@code "null"} for null. */
    public static String escape(CharSequence text) {
        return escape(text, MAX_CHARS);
    }

    /** As {@link #escape(CharSequence)}, keeping at most {@code maxChars} characters of {@code text}. */
    public static String escape(CharSequence text, int maxChars) {
        if (text == null) {
            return "null";
        }
        int length = text.length();
        int kept = Math.min(length, Math.max(0, maxChars));
        if (kept == length && isClean(text)) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(kept + 16);
        for (int i = 0; i < kept; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x100 && isUnsafe(c)) {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (isUnsafe(c)) {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (kept < length) {
            out.append("...(").append(length - kept).append(" more characters)");
        }
        return out.toString();
    }

    private static boolean isClean(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || isUnsafe(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Control characters (which include CR, LF, ESC, DEL and C1), format characters (bidi
     * overrides, zero-width joiners), line and paragraph separators, and lone surrogates.
     */
    private static boolean isUnsafe(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
