package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.time.Duration;

/**
 * {@code POST /admin/api/v1/clients/{client_id}/secrets}: rotate a client's secrets, the replaced
 * ones still valid for {@code overlap_seconds} (the server's default when absent). Held as a JSON
 * node so that the server can refuse a fraction or a quoted number instead of rounding or parsing it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretRotation(@JsonProperty("overlap_seconds") JsonNode overlapSeconds) {

    /** A rotation with the server's default overlap. */
    public static SecretRotation withDefaultOverlap() {
        return new SecretRotation(null);
    }

    /** A rotation whose replaced secrets stay valid for {@code overlap}, in whole seconds. */
    public static SecretRotation withOverlap(Duration overlap) {
        return new SecretRotation(LongNode.valueOf(overlap.toSeconds()));
    }
}
