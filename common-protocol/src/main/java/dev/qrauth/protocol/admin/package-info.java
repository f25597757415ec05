/**
 * The request and response bodies of the admin API ({@code docs/PROTOCOL.md}, "Admin API"):
 * mobile-auth types, users and their activation codes, devices, API clients and the audit trail.
 * The token server reads and writes these, and so does every client of the API, so that the JSON
 * names are written down once. Its error body is {@link dev.qrauth.protocol.error.AdminError}.
 * Records that carry a secret leave it out of {@code toString}.
 */
package dev.qrauth.protocol.admin;
