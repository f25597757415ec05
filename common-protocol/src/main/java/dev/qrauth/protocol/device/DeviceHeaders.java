package dev.qrauth.protocol.device;

/** Header names of the device API. */
public final class DeviceHeaders {

    /** Carries the access token of a PIN login on user-session endpoints. */
    public static final String ACCESS_TOKEN = "X-Access-Token";

    private DeviceHeaders() {
    }
}
