package dev.qrauth.tokenserver.packagecycle.b;

import dev.qrauth.tokenserver.packagecycle.a.Ping;

/** The other half of a package cycle, the kind {@code PackageCyclesTest} must refuse. */
public final class Pong {

    public Ping answer() {
        return new Ping();
    }
}
