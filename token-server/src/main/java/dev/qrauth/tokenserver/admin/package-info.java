/**
 * The admin API ({@code /admin/api/v1}, {@code docs/PROTOCOL.md}) and the operator endpoints
 * under {@code /q/}: thin resources over the services of the feature packages, behind the admin's
 * credentials. It is the top of the server: it may use every other package, and none uses it.
 */
package dev.qrauth.tokenserver.admin;
