package dev.qrauth.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps every record logged through {@code java.util.logging} (where Quarkus sends its log) while
 * each test runs, for tests that check what a server in the same JVM logged:
 * {@code @RegisterExtension final LogCapture logs = new LogCapture();}
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void beforeEach(ExtensionContext context) {
        clear();
        Logger.getLogger("").addHandler(handler);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Logger.getLogger("").removeHandler(handler);
    }

    /** The records logged so far in this test (since the last {@link #clear()}). */
    public List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** Forgets what was logged so far. */
    public void clear() {
        synchronized (records) {
            records.clear();
        }
    }
}
