package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.json.ProtocolJson;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The minimal experiment behind "reactive PostgreSQL client or plain JDBC" for the token server's
 * hot path: the statements of a flow, without HTTP, ORM or anything else, against an embedded
 * PostgreSQL configured as the token server configures its own (durable commits), through each
 * client in turn at the same concurrency. For each client and statement kind it reports
 * statements per second, this process's CPU per statement and PostgreSQL's CPU per statement.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.qrauth.benchmarks.load.StatementCost \
 *      [--seconds S] [--concurrency C] [--warmup W] [--out FILE]
 * </pre>
 *
 * <p>The clients: {@code jdbc} (pgjdbc, one connection per thread, autocommit off, every
 * statement followed by a commit, as a JDBC hot path in local transactions runs it),
 * {@code jdbc-autocommit} (the same with every statement its own transaction, one round trip),
 * and {@code reactive} (the Vert.x PostgreSQL client, a pool of C connections with pipelining and
 * the prepared-statement cache, each statement its own transaction, C statements in flight). The
 * kinds run one after the other, each for S seconds: {@code insert} (an INSERT ... RETURNING of a
 * new pending transaction, as initiate does), {@code update} (a conditional UPDATE ... RETURNING
 * that finishes one of those rows, as the answer does) and {@code select} (a row read by primary
 * key, as the result read does). Each client starts on an emptied table after a checkpoint and
 * a warm-up of W seconds running the three kinds. See {@code docs/PERFORMANCE.md}.
 */
public final class StatementCost {

    private static final String CLIENT_ID = "statement-cost";

    /** The one client every row belongs to (the foreign key of {@code mobile_auth_transaction}). */
    private static final String CLIENT_ROW = "INSERT INTO api_client (client_id, name, display_name, secret_hash, "
            + "callback_signing_secret, callback_uris, created_at) VALUES ('" + CLIENT_ID + "', '" + CLIENT_ID
            + "', 'Statement cost', 'not a hash', '\\x00', '{}', now())";

    /** The statement kinds, in the order they run; parameters as {@code $n}, in order of use. */
    enum Kind {
        INSERT("""
                INSERT INTO mobile_auth_transaction (transaction_id, client_id, type_name, status, code_hash,
                    callback_uri, message, ip_address, user_agent, created_at, expires_at)
                VALUES ($1, $2, 'load', 'PENDING', $3, $4, $5, $6, $7, now(), now() + interval '1 hour')
                RETURNING transaction_id, created_at, expires_at"""),
        UPDATE("""
                UPDATE mobile_auth_transaction SET status = 'CONFIRMED', user_id = $1, device_id = $2,
                    finished_at = now()
                WHERE transaction_id = $3 AND status IN ('PENDING', 'SCANNED') AND expires_at > now()
                RETURNING transaction_id, client_id, callback_uri, status, finished_at"""),
        SELECT("""
                SELECT status, user_id, reason, reason_detail, expires_at, finished_at, client_id
                FROM mobile_auth_transaction WHERE transaction_id = $1""");

        final String sql;

        Kind(String sql) {
            this.sql = sql;
        }

        String jdbcSql() {
            return sql.replaceAll("\\$\\d+", "?");
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String CODE_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String CALLBACK_URI = "https://portal.example/callbacks/mobile-auth";
    private static final String MESSAGE = "Log in to the load test";
    private static final String USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    /** One client under test: runs one kind of statement at the concurrency until a deadline. */
    private interface Client extends AutoCloseable {
        String name();

        /** Runs {@code kind} until {@code deadlineNanos}; returns the statements that succeeded. */
        long run(Kind kind, long deadlineNanos) throws Exception;

        @Override
        void close() throws Exception;
    }

    record Options(int seconds, int concurrency, int warmup, Path out) {
    }

    private final Options options;
    private ExperimentDatabase database;
    /** Rows inserted and not yet finished: what the update kind works on. */
    private final ConcurrentLinkedQueue<UUID> pending = new ConcurrentLinkedQueue<>();
    /** Every row inserted for the current client, and a copy the select kind reads from. */
    private final ConcurrentLinkedQueue<UUID> inserted = new ConcurrentLinkedQueue<>();
    private volatile UUID[] readable = new UUID[0];
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    private StatementCost(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: StatementCost [--seconds S] [--concurrency C] [--warmup W] [--out FILE]");
            System.exit(2);
            return;
        }
        System.exit(execute(options) == 0 ? 0 : 1);
    }

    /**
     * Runs the experiment and stops and deletes the database it started, also on Ctrl-C.
     *
     * @return how many statements failed
     */
    static long execute(Options options) throws Exception {
        StatementCost experiment = new StatementCost(options);
        say("Starting PostgreSQL (fsync on, synchronous_commit on) with the token server's schema ...");
        try (ExperimentDatabase database = ExperimentDatabase.start("statement-cost")) {
            experiment.database = database;
            experiment.run();
        }
        return experiment.errors.get();
    }

    private void run() throws Exception {
        database.execute(CLIENT_ROW);
        say("Each client: " + options.warmup() + " s warm-up, then insert, update and select for "
                + options.seconds() + " s each, at concurrency " + options.concurrency() + ".");
        List<Map<String, Object>> results = new ArrayList<>();
        for (String name : List.of("jdbc", "jdbc-autocommit", "reactive")) {
            resetTable();
            try (Client client = switch (name) {
                case "jdbc" -> new JdbcClient(name, false);
                case "jdbc-autocommit" -> new JdbcClient(name, true);
                default -> new ReactiveClient(name);
            }) {
                long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmup());
                long slice = TimeUnit.SECONDS.toNanos(options.warmup()) / 4;
                run(client, Kind.INSERT, warmupEnd - 2 * slice);
                run(client, Kind.UPDATE, warmupEnd - slice);
                run(client, Kind.SELECT, warmupEnd);
                for (Kind kind : Kind.values()) {
                    results.add(measure(client, kind));
                }
            }
        }
        report(results);
    }

    private long run(Client client, Kind kind, long deadlineNanos) throws Exception {
        if (kind == Kind.SELECT) {
            readable = inserted.toArray(new UUID[0]);
        }
        return client.run(kind, deadlineNanos);
    }

    /** Runs one kind for the measured seconds and reads the CPU of both sides around it. */
    private Map<String, Object> measure(Client client, Kind kind) throws Exception {
        long errorsBefore = errors.get();
        long clientCpuBefore = processCpuNanos();
        OptionalLong databaseBefore = database.cpuMillis();
        long start = System.nanoTime();
        long statements = run(client, kind, start + TimeUnit.SECONDS.toNanos(options.seconds()));
        long elapsed = System.nanoTime() - start;
        long clientCpu = processCpuNanos() - clientCpuBefore;
        OptionalLong databaseAfter = database.cpuMillis();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("client", client.name());
        row.put("statement", kind.label());
        row.put("statements", statements);
        row.put("seconds", round(elapsed / 1e9));
        row.put("statements_per_second", round(statements / (elapsed / 1e9)));
        row.put("client_cpu_us_per_statement", statements == 0 ? null : round(clientCpu / 1e3 / statements));
        row.put("database_cpu_us_per_statement", statements == 0 || databaseBefore.isEmpty() || databaseAfter.isEmpty()
                ? null : round((databaseAfter.getAsLong() - databaseBefore.getAsLong()) * 1e3 / statements));
        row.put("errors", errors.get() - errorsBefore);
        say(String.format(Locale.ROOT, "  %-16s %-7s %9.0f statements/s", client.name(), kind.label(),
                statements / (elapsed / 1e9)));
        return row;
    }

    private void report(List<Map<String, Object>> results) throws IOException {
        say("");
        say(String.format(Locale.ROOT, "%-16s %-7s %12s %14s %14s %7s", "client", "kind", "statements/s",
                "client us/st", "postgres us/st", "errors"));
        for (Map<String, Object> row : results) {
            say(String.format(Locale.ROOT, "%-16s %-7s %12s %14s %14s %7s", row.get("client"), row.get("statement"),
                    row.get("statements_per_second"), row.get("client_cpu_us_per_statement"),
                    row.get("database_cpu_us_per_statement"), row.get("errors")));
        }
        if (firstError.get() != null) {
            say("first error: " + firstError.get());
        }
        StatementCost.writeReport(options, database, results);
    }

    /** Writes an experiment's JSON report: its options, the machine's cores, PostgreSQL's version, the rows. */
    static void writeReport(Options options, ExperimentDatabase database, List<Map<String, Object>> results)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seconds", options.seconds());
        json.put("concurrency", options.concurrency());
        json.put("warmup_s", options.warmup());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("postgres_version", database.version());
        json.put("results", results);
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.write(out, ProtocolJson.write(json));
        say("Written to " + options.out());
    }

    // ---- the clients ------------------------------------------------------------------------------

    /** pgjdbc: one connection and one thread per unit of concurrency, statements prepared once. */
    private final class JdbcClient implements Client {
        private final String name;
        private final boolean autocommit;
        private final List<Connection> connections = new ArrayList<>();
        private final List<Map<Kind, PreparedStatement>> statements = new ArrayList<>();
        private final ExecutorService threads;

        JdbcClient(String name, boolean autocommit) throws SQLException {
            this.name = name;
            this.autocommit = autocommit;
            for (int i = 0; i < options.concurrency(); i++) {
                Connection connection = database.connect();
                connection.setAutoCommit(autocommit);
                connections.add(connection);
                Map<Kind, PreparedStatement> prepared = new java.util.EnumMap<>(Kind.class);
                for (Kind kind : Kind.values()) {
                    prepared.put(kind, connection.prepareStatement(kind.jdbcSql()));
                }
                statements.add(prepared);
            }
            threads = Executors.newFixedThreadPool(options.concurrency());
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long run(Kind kind, long deadlineNanos) throws Exception {
            List<Future<Long>> workers = new ArrayList<>();
            for (int i = 0; i < options.concurrency(); i++) {
                Connection connection = connections.get(i);
                PreparedStatement statement = statements.get(i).get(kind);
                workers.add(threads.submit(() -> {
                    long done = 0;
                    while (System.nanoTime() < deadlineNanos) {
                        UUID id = kind == Kind.UPDATE ? pending.poll() : kind == Kind.INSERT ? UUID.randomUUID()
                                : anyInserted();
                        if (id == null) {
                            break; // no pending row left to finish
                        }
                        try {
                            bind(statement, kind, id);
                            boolean found;
                            try (ResultSet rows = statement.executeQuery()) {
                                found = rows.next() && read(rows, kind);
                            }
                            if (!autocommit) {
                                connection.commit();
                            }
                            if (found) {
                                done++;
                                if (kind == Kind.INSERT) {
                                    remember(id);
                                }
                            } else {
                                error(kind + " matched no row");
                            }
                        } catch (SQLException e) {
                            error(kind + ": " + e.getMessage());
                            if (!autocommit) {
                                connection.rollback();
                            }
                        }
                    }
                    return done;
                }));
            }
            long total = 0;
            for (Future<Long> worker : workers) {
                total += worker.get();
            }
            return total;
        }

        private void bind(PreparedStatement statement, Kind kind, UUID id) throws SQLException {
            switch (kind) {
                case INSERT -> {
                    statement.setObject(1, id);
                    statement.setString(2, CLIENT_ID);
                    statement.setString(3, CODE_HASH);
                    statement.setString(4, CALLBACK_URI);
                    statement.setString(5, MESSAGE);
                    statement.setString(6, "127.0.0.1");
                    statement.setString(7, USER_AGENT);
                }
                case UPDATE -> {
                    statement.setString(1, "user-" + (id.getLeastSignificantBits() & 0xffff));
                    statement.setObject(2, id);
                    statement.setObject(3, id);
                }
                case SELECT -> statement.setObject(1, id);
            }
        }

        /** Reads the returned row by name, as the server would; false when it is not what it should be. */
        private boolean read(ResultSet row, Kind kind) throws SQLException {
            return switch (kind) {
                case INSERT -> row.getObject("transaction_id") != null && row.getTimestamp("expires_at") != null;
                case UPDATE -> "CONFIRMED".equals(row.getString("status")) && row.getString("callback_uri") != null;
                case SELECT -> row.getString("status") != null && row.getTimestamp("expires_at") != null;
            };
        }

        @Override
        public void close() throws SQLException {
            threads.shutdownNow();
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    /** The Vert.x PostgreSQL client: C statements in flight on a pool of C connections. */
    private final class ReactiveClient implements Client {
        private final String name;
        private final Vertx vertx = Vertx.vertx();
        private final Pool pool;

        ReactiveClient(String name) {
            this.name = name;
            PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(database.port())
                    .setDatabase("postgres").setUser("postgres").setPassword(database.password())
                    .setPipeliningLimit(256).setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(16);
            pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(options.concurrency()))
                    .connectingTo(connect).using(vertx).build();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long run(Kind kind, long deadlineNanos) throws Exception {
            AtomicLong done = new AtomicLong();
            AtomicInteger running = new AtomicInteger(options.concurrency());
            CompletableFuture<Void> finished = new CompletableFuture<>();
            for (int i = 0; i < options.concurrency(); i++) {
                next(kind, deadlineNanos, done, running, finished);
            }
            finished.get();
            return done.get();
        }

        /** One chain of statements: each starts when the one before it answered, until the deadline. */
        private void next(Kind kind, long deadlineNanos, AtomicLong done, AtomicInteger running,
                          CompletableFuture<Void> finished) {
            UUID id = System.nanoTime() >= deadlineNanos ? null
                    : kind == Kind.UPDATE ? pending.poll() : kind == Kind.INSERT ? UUID.randomUUID() : anyInserted();
            if (id == null) {
                if (running.decrementAndGet() == 0) {
                    finished.complete(null);
                }
                return;
            }
            Tuple parameters = switch (kind) {
                case INSERT -> Tuple.of(id, CLIENT_ID, CODE_HASH, CALLBACK_URI, MESSAGE, "127.0.0.1", USER_AGENT);
                case UPDATE -> Tuple.of("user-" + (id.getLeastSignificantBits() & 0xffff), id, id);
                case SELECT -> Tuple.of(id);
            };
            pool.preparedQuery(kind.sql).execute(parameters).onComplete(result -> {
                if (result.failed()) {
                    error(kind + ": " + result.cause().getMessage());
                    // A failing chain ends rather than spin; the error count says the figures are suspect.
                    if (running.decrementAndGet() == 0) {
                        finished.complete(null);
                    }
                    return;
                }
                RowSet<Row> rows = result.result();
                Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                if (row != null && read(row, kind)) {
                    done.incrementAndGet();
                    if (kind == Kind.INSERT) {
                        remember(id);
                    }
                } else {
                    error(kind + " matched no row");
                }
                next(kind, deadlineNanos, done, running, finished);
            });
        }

        private boolean read(Row row, Kind kind) {
            return switch (kind) {
                case INSERT -> row.getUUID("transaction_id") != null && row.getOffsetDateTime("expires_at") != null;
                case UPDATE -> "CONFIRMED".equals(row.getString("status")) && row.getString("callback_uri") != null;
                case SELECT -> row.getString("status") != null && row.getOffsetDateTime("expires_at") != null;
            };
        }

        @Override
        public void close() throws Exception {
            pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    // ---- rows, errors, CPU -------------------------------------------------------------------------

    private void remember(UUID id) {
        pending.add(id);
        inserted.add(id);
    }

    private UUID anyInserted() {
        UUID[] ids = readable;
        return ids.length == 0 ? null : ids[ThreadLocalRandom.current().nextInt(ids.length)];
    }

    private void error(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }

    /** Empties the table and writes everything out, so each client starts from the same state. */
    private void resetTable() throws SQLException {
        pending.clear();
        inserted.clear();
        readable = new UUID[0];
        database.execute("TRUNCATE mobile_auth_transaction, transaction_approver", "VACUUM ANALYZE mobile_auth_transaction", "CHECKPOINT");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    // ---- command line ------------------------------------------------------------------------------

    static Options parse(String[] args) {
        return parse(args, Path.of("benchmarks/target/statement-cost.json"));
    }

    /** The options both experiments share; {@code out} is the report's file unless --out names one. */
    static Options parse(String[] args, Path out) {
        int seconds = 30;
        int concurrency = 8;
        Integer warmup = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--seconds" -> seconds = positive(args[i], value);
                case "--concurrency" -> concurrency = positive(args[i], value);
                case "--warmup" -> warmup = positive(args[i], value);
                case "--out" -> out = Path.of(require(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        return new Options(seconds, concurrency, warmup != null ? warmup : Math.min(20, Math.max(4, seconds)), out);
    }

    private static int positive(String option, String value) {
        int number;
        try {
            number = Integer.parseInt(require(option, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not " + value);
        }
        if (number < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return number;
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static Double round(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 100) / 100.0;
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
