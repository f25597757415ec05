package dev.qrauth.sdk;

import dev.qrauth.protocol.message.TransactionStatus;
import java.util.regex.Pattern;

/**
 * What the server said after accepting an approval: the state the transaction reached and, for a
 * type with reverse code entry, the code the user must type into the browser that started the
 * request ({@code docs/PROTOCOL.md}, "Reverse code entry"). Show that code prominently: the login
 * completes only when the browser submits it.
 *
 * For a four-eyes request the approval may be one of several: {@code SCANNED} without a code means
 * it was counted and other users must still approve ({@code docs/PROTOCOL.md}, "Four-eyes approval").
 *
 * @param status      {@code CONFIRMED}, or {@code SCANNED} while the browser's code or other approvers are awaited
 * @param reverseCode six digits, or null when the type asks for no code
 */
public record MobileAuthInfo(TransactionStatus status, String reverseCode) {

    private static final Pattern CODE = Pattern.compile("\\d{6}");

    public MobileAuthInfo {
        if (reverseCode != null && !CODE.matcher(reverseCode).matches()) {
            throw new IllegalArgumentException("reverseCode is not six digits");
        }
    }

    public MobileAuthInfo(TransactionStatus status) {
        this(status, null);
    }

    /** Whether the user must now type {@link #reverseCode()} into the browser. */
    public boolean requiresReverseCode() {
        return reverseCode != null;
    }

    /** Whether the approval was counted and other users of a four-eyes request must still approve. */
    public boolean awaitsOtherApprovers() {
        return status == TransactionStatus.SCANNED && reverseCode == null;
    }

    /** The code in two groups for reading, "123 456", or null. */
    public String reverseCodeForDisplay() {
        return reverseCode == null ? null : reverseCode.substring(0, 3) + " " + reverseCode.substring(3);
    }
}
