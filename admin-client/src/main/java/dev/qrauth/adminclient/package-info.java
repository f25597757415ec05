/**
 * The token server's admin API in plain Java ({@code docs/PROTOCOL.md}, "Admin API"):
 * {@link dev.qrauth.adminclient.AdminClient} creates and changes mobile-auth types, users, their
 * activation codes and devices, and API clients, and reads the audit trail. The bodies are the wire
 * types of {@code dev.qrauth.protocol.admin}, the ones the server reads and writes. Every failure is
 * an {@link dev.qrauth.adminclient.AdminClientException} whose type says whether the server refused
 * (with its status and error body), did not answer, or answered something unreadable.
 */
package dev.qrauth.adminclient;
