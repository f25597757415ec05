/**
 * The portal's web plumbing shared by its pages: the live challenge endpoints (QR image, status,
 * server-sent events), error pages and what is told to the phone about the browser.
 */
package dev.qrauth.portal.web;
