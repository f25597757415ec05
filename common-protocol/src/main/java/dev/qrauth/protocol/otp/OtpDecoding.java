package dev.qrauth.protocol.otp;

import java.util.Objects;

/** The outcome of {@link OtpCodec#decode(String)}: exactly one of accepted or rejected. */
public sealed interface OtpDecoding {

    /** The text is a canonical OTP. */
    record Accepted(OtpPayload payload) implements OtpDecoding {
        public Accepted {
            Objects.requireNonNull(payload, "payload == null");
        }
    }

    /** The text is not an OTP, for the given reason. */
    record Rejected(OtpRejection reason) implements OtpDecoding {
        public Rejected {
            Objects.requireNonNull(reason, "reason == null");
        }
    }

    default boolean isAccepted() {
        return this instanceof Accepted;
    }
}
