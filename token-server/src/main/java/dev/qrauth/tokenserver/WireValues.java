package dev.qrauth.tokenserver;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** Values as they come in from the wire and out of native SQL, read one way everywhere. */
public final class WireValues {

    private WireValues() {
    }

    /** {@code value} as a UUID when it is the 36-character form (any case); else empty. */
    public static Optional<UUID> canonicalUuid(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(value);
            return uuid.toString().equalsIgnoreCase(value) ? Optional.of(uuid) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A {@code timestamptz} column of a native query's row, whichever type the driver chose. */
    public static Instant instant(Object column) {
        if (column instanceof Instant instant) {
            return instant;
        }
        if (column instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (column instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + (column == null ? "null" : column.getClass().getName()));
    }
}
