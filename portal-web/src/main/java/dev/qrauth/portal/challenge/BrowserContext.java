package dev.qrauth.portal.challenge;

/**
 * What the portal tells the token server about the browser asking to log in: its address and
 * {@code User-Agent}, either null when unknown. The phone shows them to the person approving.
 */
public record BrowserContext(String ipAddress, String userAgent) {
}
