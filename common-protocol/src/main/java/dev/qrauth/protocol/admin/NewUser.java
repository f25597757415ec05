package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /admin/api/v1/users}: create a user, who gets a first activation code. */
public record NewUser(@JsonProperty("user_id") String userId) {
}
