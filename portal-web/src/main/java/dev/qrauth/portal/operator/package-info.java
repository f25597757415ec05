/**
 * The portal's pages for its operator, not for the people logging in: the answers given under a
 * duress PIN. Behind HTTP Basic with the password {@code portal.operator.password}; without that
 * setting they do not exist. It changes nothing: it only shows what the portal noted.
 */
package dev.qrauth.portal.operator;
