package dev.qrauth.sdk;

import java.util.Objects;

/** A user registered on this device. */
public record UserProfile(String userId) {

    public UserProfile {
        Objects.requireNonNull(userId, "userId == null");
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("userId is empty");
        }
    }
}
