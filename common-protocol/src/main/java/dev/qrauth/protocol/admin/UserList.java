package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A page of the user listing ({@code GET /admin/api/v1/users}), in order of user id;
 * {@code next_cursor} only when there are more users.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserList(@JsonProperty("users") List<Entry> users,
                       @JsonProperty("next_cursor") String nextCursor) {

    /** One user in the listing, with the number of devices it is registered on. */
    public record Entry(@JsonProperty("user_id") String userId,
                        @JsonProperty("created_at") Instant createdAt,
                        @JsonProperty("devices") long devices) {
    }
}
