/**
 * The receiver of the token server's callbacks. It verifies them and triggers a read of the
 * result; it never trusts a callback's content as the result.
 */
package dev.qrauth.portal.callback;
