package dev.qrauth.protocol.text;

/**
 * Which characters may appear in text shown to the user, and how to show the others.
 *
 * <p>Refused everywhere: C0 and C1 control characters (carriage return included), DEL, Unicode
 * format characters (general category Cf: bidi embeddings, overrides and isolates, zero-width
 * spaces and joiners, the byte order mark...), line and paragraph separators, and unpaired
 * surrogates. They let a sender rewrite what a terminal or a text view shows: an {@code ESC[8m}
 * hides the lines after it, a carriage return overwrites a line, a right-to-left override
 * reverses "EUR 0.001" into something else, a zero-width space makes two different ids look
 * the same. Tab and newline are allowed only in multi-line text (the secure message).
 * {@code docs/PROTOCOL.md}, "Text shown to the user".
 */
public final class DisplayText {

    private DisplayText() {
    }

    /** Whether {@code text} may be shown as one line: none of the refused characters, no tab or newline. */
    public static boolean isSingleLine(String text) {
        return text != null && text.codePoints().noneMatch(c -> isRefused(c, false));
    }

    /** Whether {@code text} may be shown as several lines: like {@link #isSingleLine}, but tab and newline are allowed. */
    public static boolean isMultiLine(String text) {
        return text != null && text.codePoints().noneMatch(c -> isRefused(c, true));
    }

    /**
     * {@code text} with every character that {@link #isSingleLine} refuses written as a visible
     * escape such as <code>&#92;u{001B}</code>, so text from a peer cannot act on a terminal or pass for
     * something it is not. Null stays null.
     */
    public static String escaped(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (isRefused(c, false)) {
                shown.append("\\u{").append(String.format("%04X", c)).append('}');
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    private static boolean isRefused(int c, boolean multiLine) {
        if (c == '\t' || c == '\n') {
            return !multiLine;
        }
        if (Character.isISOControl(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }
}
