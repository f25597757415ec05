/** Logging in with the phone, the account page and logging out. */
package dev.qrauth.portal.login;
