/**
 * Token buckets per key, held in memory with a bound on their number: the budgets of failed
 * authentications, device registrations, audited refusals and initiations are all made of them.
 * It depends on no other package of the server.
 */
package dev.qrauth.tokenserver.ratelimit;
