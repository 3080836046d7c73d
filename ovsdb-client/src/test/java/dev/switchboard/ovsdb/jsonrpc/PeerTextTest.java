package dev.switchboard.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerTextTest {

    @Test
    void lineBreaksAndControlCharactersBecomeVisibleEscapes() {
        String forged = "br0\r\n2026-12-04 12:00:00.000 ERROR [main] d.s.Forged - pwned\u001b[31m\u0000\u2028";

        String escaped = PeerText.escape(forged);

        assertThat(escaped).doesNotContain("\n", "\r", "\u001b", "\u0000", "\u2028")
                .isEqualTo("br0\\r\\n2026-12-04 12:00:00.000 ERROR [main] d.s.Forged - pwned\\u001b[31m\\u0000\\u2028");
    }

    @Test
    void plainTextIsUnchangedAndNullIsSaid() {
        assertThat(PeerText.escape("Open_vSwitch \"Bridge\" ünïcode \\n")).isEqualTo("Open_vSwitch \"Bridge\" ünïcode \\n");
        assertThat(PeerText.escape((String) null)).isEqualTo("null");
    }

    @Test
    void longTextIsCutWithAnEllipsis() {
        assertThat(PeerText.escape("x".repeat(5000))).hasSize(PeerText.MAX_CHARS + 1).endsWith("x…");
        assertThat(PeerText.escape("a\nbcdef", 3)).isEqualTo("a\\nb…");
    }
}
