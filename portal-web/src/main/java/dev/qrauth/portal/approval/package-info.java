/** Approving an action of the logged-in user with their phone. */
package dev.qrauth.portal.approval;
