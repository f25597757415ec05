/**
 * The shared JSON configuration for protocol types, so every party writes and reads them the
 * same way.
 */
package dev.qrauth.protocol.json;
