/**
 * The one rule for text that a person reads on the phone (messages, the portal's name, user ids,
 * device names): which characters the token server accepts in it, and how a program that shows
 * such text makes every other character visible. {@code docs/PROTOCOL.md}, "Text shown to the user".
 *
 * <p>It does not limit lengths or judge meaning; each field's owner does that.
 */
package dev.qrauth.protocol.text;
