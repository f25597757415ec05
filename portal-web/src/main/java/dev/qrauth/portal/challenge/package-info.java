/**
 * Challenges: a browser waiting for a phone's answer, to log in or to approve an action. Holds
 * the QR code, renews expired codes up to five times, applies results read from the token server,
 * and tells watching browsers (server-sent events or polling) of every change. It keeps nothing on
 * disk: the token server is the record of every transaction. Answers given under a duress PIN are
 * noted for the operator ({@code DuressEvents}) and never shown to the browser.
 */
package dev.qrauth.portal.challenge;
