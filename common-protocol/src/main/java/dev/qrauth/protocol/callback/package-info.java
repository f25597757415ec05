/**
 * The signature the token server puts on callbacks and a portal checks. It does not deliver
 * callbacks or remember which ones were seen.
 */
package dev.qrauth.protocol.callback;
