package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a mobile-auth request came from, as the phone shows it: the browser and operating
 * system (parsed from the portal's {@code user_agent}), the browser's IP address, and a
 * location when the server can tell, and how close the phone is to that browser (absent when
 * the type does not check). Every field may be absent. {@code docs/PROTOCOL.md},
 * "MobileAuthMessage" and "Proximity".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestContext(
        @JsonProperty("browser") String browser,
        @JsonProperty("os") String operatingSystem,
        @JsonProperty("ip_address") String ipAddress,
        @JsonProperty("location") String location,
        @JsonProperty("proximity") Proximity proximity) {

    static final int MAX_FIELD_LENGTH = 256;

    public RequestContext {
        browser = Fields.optional(browser, "browser", MAX_FIELD_LENGTH);
        operatingSystem = Fields.optional(operatingSystem, "os", MAX_FIELD_LENGTH);
        ipAddress = Fields.optional(ipAddress, "ip_address", MAX_FIELD_LENGTH);
        location = Fields.optional(location, "location", MAX_FIELD_LENGTH);
    }

    /** A context without a proximity check. */
    public RequestContext(String browser, String operatingSystem, String ipAddress, String location) {
        this(browser, operatingSystem, ipAddress, location, null);
    }

    public static RequestContext empty() {
        return new RequestContext(null, null, null, null, null);
    }
}
