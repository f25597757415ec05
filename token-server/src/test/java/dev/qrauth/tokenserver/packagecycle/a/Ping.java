package dev.qrauth.tokenserver.packagecycle.a;

import dev.qrauth.tokenserver.packagecycle.b.Pong;

/** One half of a package cycle, the kind {@code PackageCyclesTest} must refuse. */
public final class Ping {

    public Pong answer() {
        return new Pong();
    }
}
