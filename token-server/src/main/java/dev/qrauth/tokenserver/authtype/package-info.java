/**
 * Mobile-auth types: what a portal may ask a phone (message, proximity policy, default texts per
 * language), as the admin configures them. May depend on {@code audit} and {@code error} only.
 */
package dev.qrauth.tokenserver.authtype;
