package dev.qrauth.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** CPU time of a process from {@code /proc/<pid>/stat}, and of the machine from {@code /proc/stat} (Linux). */
final class Proc {

    /** Clock ticks per second of {@code /proc} figures; 100 on every common Linux build. */
    private static final long TICKS_PER_SECOND = 100;

    private Proc() {
    }

    /** User plus system time of {@code pid}, and of its children that ended, in milliseconds. */
    static OptionalLong cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                    + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return OptionalLong.of(ticks * 1000 / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The machine's busy time (every core, idle and I/O wait excluded) and the time the hypervisor
     * gave to other guests (steal), both in milliseconds since boot; empty where there is no
     * {@code /proc/stat}.
     */
    static java.util.Optional<long[]> machineMillis() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(fields[i]);
            }
            long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
            return java.util.Optional.of(new long[] {busy * 1000 / TICKS_PER_SECOND, steal * 1000 / TICKS_PER_SECOND});
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
