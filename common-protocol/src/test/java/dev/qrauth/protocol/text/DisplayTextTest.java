package dev.qrauth.protocol.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayTextTest {

    /** ESC, CR, NUL, DEL, C1 NEL, RLO, an isolate, ZWSP, ZWJ, BOM, line separator, a lone surrogate. */
    @ParameterizedTest
    @ValueSource(strings = {"a\u001B[8mb", "a\rb", "a\u0000b", "a\u007Fb", "a\u0085b", "EUR \u202E0.001",
            "a\u2067b", "al\u200Bice", "a\u200Db", "\uFEFFa", "a\u2028b", "a\uD800b"})
    void refusedCharactersAreRefusedOnOneLineAndOnSeveral(String text) {
        assertThat(DisplayText.isSingleLine(text)).isFalse();
        assertThat(DisplayText.isMultiLine(text)).isFalse();
        assertThat(DisplayText.escaped(text)).containsPattern("\\\\u\\{[0-9A-F]{4}}");
        assertThat(DisplayText.isSingleLine(DisplayText.escaped(text))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\tb", "line one\nline two"})
    void tabAndNewlineOnlyInMultiLineText(String text) {
        assertThat(DisplayText.isSingleLine(text)).isFalse();
        assertThat(DisplayText.isMultiLine(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Log in to Example", "Überweisung an Zoë: € 12,50", "東京で支払う", "مرحبا", "Pay 😀 now",
            "❤️ ok", "back\\slash"})
    void plainUnicodeTextIsAcceptedAndShownAsIs(String text) {
        assertThat(DisplayText.isSingleLine(text)).isTrue();
        assertThat(DisplayText.isMultiLine(text)).isTrue();
        assertThat(DisplayText.escaped(text)).isEqualTo(text);
    }

    @org.junit.jupiter.api.Test
    void anEscapeSequenceIsShownAsText() {
        assertThat(DisplayText.escaped("ok\u001B[8m\rFrom: x")).isEqualTo("ok\\u{001B}[8m\\u{000D}From: x");
        assertThat(DisplayText.escaped("\uD83D\uDE00\u202E")).isEqualTo("\uD83D\uDE00\\u{202E}");
        assertThat(DisplayText.isSingleLine(null)).isFalse();
        assertThat(DisplayText.escaped(null)).isNull();
    }
}
