package dev.qrauth.benchmarks.load;

import java.util.OptionalLong;
import java.util.function.Function;

/**
 * CPU time used so far, in milliseconds, by the three parties that share the machine during a
 * load run: the token server's JVM, its embedded PostgreSQL and this driver, and the machine as a
 * whole (busy time and the time the hypervisor gave to other guests). Each figure is empty where
 * it cannot be read: a server not started here, or no {@code /proc}.
 */
record CpuSample(OptionalLong server, OptionalLong database, OptionalLong driver, OptionalLong machineBusy,
                 OptionalLong machineSteal) {

    static CpuSample of(TokenServerUnderTest tokenServer) {
        OptionalLong server = tokenServer.cpuMillis();
        OptionalLong database = tokenServer.databaseCpuMillis();
        OptionalLong driver = Proc.cpuMillis(ProcessHandle.current().pid());
        return Proc.machineMillis()
                .map(m -> new CpuSample(server, database, driver, OptionalLong.of(m[0]), OptionalLong.of(m[1])))
                .orElse(new CpuSample(server, database, driver, OptionalLong.empty(), OptionalLong.empty()));
    }

    /** The samples at the start and the end of the measured window. */
    record Window(CpuSample start, CpuSample end) {

        /** What one figure grew by in the window, in milliseconds; null when it was not read at both ends. */
        Long millis(Function<CpuSample, OptionalLong> figure) {
            OptionalLong before = figure.apply(start);
            OptionalLong after = figure.apply(end);
            return before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : null;
        }
    }
}
