/**
 * {@code bin/demo} once its jars are built: the token server and the portal started through
 * {@link dev.qrauth.testkit.ServerProcess}, seeded through {@link dev.qrauth.adminclient.AdminClient}
 * (an API client, the {@code login} and {@code approval} types, the user {@code alice}), and a
 * demo phone for {@code bin/otp-device} that is repaired when it can no longer log in.
 *
 * <p>Not a library: {@code bin/Demo.java} parses the options, locks the data directory, checks the
 * ports and builds what is stale, then calls {@link dev.qrauth.testkit.demo.DemoSystem#run} in its
 * own process with the kit's run-time class path.
 */
package dev.qrauth.testkit.demo;
