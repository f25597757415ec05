/**
 * The reference portal: the relying party people click through in the demo and portal
 * developers copy. It talks to the token server only through the Onegini-compatible portal API.
 */
package dev.qrauth.portal;
