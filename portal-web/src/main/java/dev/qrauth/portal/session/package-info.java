/**
 * Browser sessions of the portal: an opaque random id in an HttpOnly, SameSite=Lax cookie (Secure
 * under https), the session held in memory, rotated at login, and a per-session CSRF token for
 * every form. It does not persist sessions: a portal restart logs everyone out.
 */
package dev.qrauth.portal.session;
