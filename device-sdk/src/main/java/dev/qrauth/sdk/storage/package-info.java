/**
 * Where the SDK keeps device credentials, profiles, keys and tokens, always encrypted by the
 * SDK before they reach a {@link dev.qrauth.sdk.storage.ProfileStore}.
 */
package dev.qrauth.sdk.storage;
