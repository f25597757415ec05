/**
 * The SDK's implementation: HTTP, storage encryption, request handling. Not part of the API; it
 * may change in any release.
 */
package dev.qrauth.sdk.internal;
