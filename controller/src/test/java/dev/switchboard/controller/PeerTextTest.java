package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerTextTest {

    @Test
    void leavesPlainTextAlone() {
        assertThat(PeerText.escape("br0 eth1 Open vSwitch 3.1.0 café")).isEqualTo("br0 eth1 Open vSwitch 3.1.0 café");
    }

    @Test
    void escapesLineBreaksSoNoLineCanBeForged() {
        assertThat(PeerText.escape("x\n2026-12-04 12:00:00.000 ERROR forged\r\n"))
                .isEqualTo("x\\n2026-12-04 12:00:00.000 ERROR forged\\r\\n");
    }

    @Test
    void escapesOtherControlAndFormatCharacters() {
        assertThat(PeerText.escape("a\tb\u0000c\u001b[31md\u007fe\u0085f\u2028g\u202eh"))
                .isEqualTo("a\\tb\\x00c\\x1b[31md\\x7fe\\x85f\\u2028g\\u202eh");
    }

    @Test
    void escapesTheBackslashSoAnEscapeCannotBeFaked() {
        assertThat(PeerText.escape("a\\nb")).isEqualTo("a\\\\nb");
    }

    @Test
    void cutsLongText() {
        assertThat(PeerText.escape("x".repeat(600))).isEqualTo("x".repeat(512) + "...(88 more characters)");
        assertThat(PeerText.escape("abcdef", 3)).isEqualTo("abc...(3 more characters)");
    }

    @Test
    void nullIsSaidSo() {
        assertThat(PeerText.escape(null)).isEqualTo("null");
    }
}
