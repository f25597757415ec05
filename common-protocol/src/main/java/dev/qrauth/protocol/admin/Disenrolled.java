package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/** The answer to {@code POST /admin/api/v1/users/{user_id}/disenroll}: the devices it disenrolled. */
public record Disenrolled(@JsonProperty("user_id") String userId,
                          @JsonProperty("disenrolled_devices") List<UUID> disenrolledDevices) {
}
