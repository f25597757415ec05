package dev.qrauth.tokenserver;

import java.nio.file.Path;

/**
 * Another token server runs on the same data directory: this one refuses to start, rather than
 * stop the other's PostgreSQL under it as if that server had died.
 */
final class DataDirectoryInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    DataDirectoryInUseException(Path dataDir) {
        super("Another token server is running on the data directory " + dataDir + ": stop it first, or give "
                + "this one a directory of its own with tokenserver.data-dir");
    }
}
