/**
 * The token server: the authority that issues OTPs to portals, talks to devices and calls
 * portals back. It speaks to the other parties only through the wire formats of
 * {@code docs/PROTOCOL.md}.
 *
 * <p>This package holds what starts and configures the server: {@code TokenServerConfig}, the
 * start-up checks, the embedded database and the background jobs' base. The feature packages
 * below it read their settings from here and must not depend on one another in a cycle
 * ({@code PackageCyclesTest}); this package, which wires them together, is left out of that
 * check.
 */
package dev.qrauth.tokenserver;
