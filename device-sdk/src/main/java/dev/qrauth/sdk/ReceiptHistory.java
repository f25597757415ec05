package dev.qrauth.sdk;

import dev.qrauth.protocol.receipt.ReceiptChainCheck;
import dev.qrauth.protocol.receipt.ReceiptRecord;
import java.util.List;
import java.util.Objects;

/**
 * A user's receipt chain as the server gave it, and what checking it against this phone found
 * ({@code docs/PROTOCOL.md}, "Verifying a chain").
 *
 * @param chain             every entry, in the server's order
 * @param report            the findings; {@link ReceiptChainCheck.Report#trustworthy()} when none is fatal
 * @param serverCertificate the armored server certificate the chain was checked against, for an export
 */
public record ReceiptHistory(List<ReceiptRecord> chain, ReceiptChainCheck.Report report, String serverCertificate) {
    public ReceiptHistory {
        chain = List.copyOf(chain);
        Objects.requireNonNull(report, "report == null");
        Objects.requireNonNull(serverCertificate, "serverCertificate == null");
    }
}
