/**
 * Small pieces of HTTP that every party of the protocol shares, such as the Basic credentials of
 * API clients, devices and callbacks. Depends on nothing but the JDK.
 */
package dev.qrauth.protocol.http;
