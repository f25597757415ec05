package dev.qrauth.tokenserver.authtype;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Map;
import java.util.TreeMap;

/**
 * A type's default messages by language, stored as a JSON object in a text column. A mapper of
 * its own, not the REST layer's: the stored form does not change when the API's JSON settings do.
 */
@Converter
public class DefaultMessagesColumn implements AttributeConverter<Map<String, String>, String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(Map<String, String> messages) {
        try {
            return JSON.writeValueAsString(messages == null ? Map.of() : new TreeMap<>(messages));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("default messages could not be written", e);
        }
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String column) {
        if (column == null || column.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(column, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("default_messages holds no JSON object of strings", e);
        }
    }
}
