package dev.qrauth.sdk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.qrauth.sdk.internal.Vault.DeviceRecord;
import dev.qrauth.sdk.internal.Vault.ProfileRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON of the vault's records, read and written with Jackson's streaming parser and
 * generator. Every member is a string or null (identifiers and ISO-8601 instants as text), so
 * data binding, whose start-up is most of a short command's reading of the vault, is not needed.
 * Members this version does not know are skipped (a newer SDK may add some); a known member
 * that is not a string or null, a repeated member or anything after the object is refused.
 */
final class VaultJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Set<String> DEVICE_MEMBERS = Set.of("server", "device_id", "device_secret");
    private static final Set<String> PROFILE_MEMBERS = Set.of("user_id", "private_key", "device_key_fingerprint",
            "server_certificate", "access_token", "token_expires_at", "last_used_at");

    private VaultJson() {
    }

    static byte[] write(DeviceRecord device) {
        return write(generator -> {
            generator.writeStringField("server", device.server());
            generator.writeStringField("device_id", text(device.deviceId()));
            generator.writeStringField("device_secret", device.deviceSecret());
        });
    }

    static byte[] write(ProfileRecord profile) {
        return write(generator -> {
            generator.writeStringField("user_id", profile.userId());
            generator.writeStringField("private_key", profile.privateKey());
            generator.writeStringField("device_key_fingerprint", profile.deviceKeyFingerprint());
            generator.writeStringField("server_certificate", profile.serverCertificate());
            generator.writeStringField("access_token", profile.accessToken());
            generator.writeStringField("token_expires_at", text(profile.tokenExpiresAt()));
            generator.writeStringField("last_used_at", text(profile.lastUsedAt()));
        });
    }

    /**
     * @throws IOException when the bytes are not one JSON object of the record's shape; a value
     *                     that is not a UUID or an instant where one belongs is an
     *                     {@link IllegalArgumentException}
     */
    static DeviceRecord readDevice(byte[] json) throws IOException {
        Map<String, String> members = members(json, DEVICE_MEMBERS);
        String deviceId = members.get("device_id");
        return new DeviceRecord(members.get("server"), deviceId == null ? null : UUID.fromString(deviceId),
                members.get("device_secret"));
    }

    /** As {@link #readDevice}, for a profile. */
    static ProfileRecord readProfile(byte[] json) throws IOException {
        Map<String, String> members = members(json, PROFILE_MEMBERS);
        return new ProfileRecord(members.get("user_id"), members.get("private_key"),
                members.get("device_key_fingerprint"), members.get("server_certificate"), members.get("access_token"),
                instant(members.get("token_expires_at")), instant(members.get("last_used_at")));
    }

    private interface Members {
        void write(JsonGenerator generator) throws IOException;
    }

    private static byte[] write(Members members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
            generator.writeStartObject();
            members.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> members(byte[] json, Set<String> known) throws IOException {
        Map<String, String> members = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!known.contains(name)) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    members.put(name, parser.getText());
                } else if (value != JsonToken.VALUE_NULL) {
                    throw new JsonParseException(parser, name + " is not a string");
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new JsonParseException(parser, "not one JSON object");
            }
        }
        return members;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
