package dev.qrauth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who listens on a TCP port: nobody yet, the given process, another program, or unknown here. Read
 * from the kernel's tables of sockets and the process's open files (Linux); nothing is sent
 * anywhere. Elsewhere, or where another user's descriptors are hidden ({@code hidepid}), the
 * answer is {@link #UNKNOWN}.
 */
enum PortListener {
    NONE, OURS, FOREIGN, UNKNOWN;

    static PortListener of(int port, ProcessHandle process) {
        Path tcp = Path.of("/proc/net/tcp");
        if (!Files.isReadable(tcp)) {
            return UNKNOWN;
        }
        try {
            Set<String> listening = new HashSet<>();
            String portSuffix = String.format(":%04X", port);
            for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
                if (!Files.isReadable(table)) {
                    continue;
                }
                for (String line : Files.readAllLines(table)) {
                    // sl local_address rem_address st ... uid timeout inode; state 0A is LISTEN
                    String[] fields = line.strip().split("\\s+");
                    if (fields.length > 9 && fields[3].equals("0A") && fields[1].endsWith(portSuffix)) {
                        listening.add(fields[9]);
                    }
                }
            }
            if (listening.isEmpty()) {
                return NONE;
            }
            return socketsOf(process).containsAll(listening) ? OURS : FOREIGN;
        } catch (IOException | UncheckedIOException e) {
            return UNKNOWN;
        }
    }

    /** The inodes of the sockets {@code process} holds open. */
    private static Set<String> socketsOf(ProcessHandle process) throws IOException {
        Set<String> sockets = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
            for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        sockets.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listed
                }
            }
        }
        return sockets;
    }
}
