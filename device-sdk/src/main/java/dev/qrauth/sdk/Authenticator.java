package dev.qrauth.sdk;

/** How the user proved who they are before a mobile-auth request: this SDK knows the PIN. */
public enum Authenticator {
    PIN
}
