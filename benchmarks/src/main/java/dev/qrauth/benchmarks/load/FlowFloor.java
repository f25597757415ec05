package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Nonce;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The floor of a flow's cost on this machine: what a token server must do for one login at the
 * least, with no HTTP, no framework and no authentication, measured. Each virtual flow runs the
 * durable state changes of a flow against the token server's schema in an embedded PostgreSQL
 * with durable commits (as {@link StatementCost} starts it), through the reactive client with
 * cached prepared statements, every statement its own transaction, and does the server's
 * cryptography of a flow (sealing the message at the scan, opening the answer) on a pool of one
 * thread per core, as the token server does.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.qrauth.benchmarks.load.FlowFloor \
 *      [--seconds S] [--concurrency C] [--warmup W] [--out FILE]
 * </pre>
 *
 * <p>The variants, each from an emptied schema after a checkpoint, W seconds unmeasured and then
 * S seconds measured at C flows in flight:
 * <ul>
 *   <li>{@code state}: the three state changes and the read, nothing else: an INSERT of the pending
 *       transaction, an UPDATE to SCANNED, an UPDATE to CONFIRMED, a SELECT of the result;</li>
 *   <li>{@code product}: the same statements with what the product writes in them: an audit event
 *       in each state change (the audit table as migrated, with its indexes for the admin API's
 *       listings), the callback's outbox row with the answer, and the callback's delivery recorded
 *       in batches of eight (the outbox row marked delivered, an attempt row);</li>
 *   <li>{@code product-lean-audit}: {@code product} with the audit table's indexes by device, client
 *       and type dropped (key, user and transaction kept).</li>
 * </ul>
 * It reports per variant flows per second, this process's CPU per flow, the cryptography's share
 * of it, and PostgreSQL's CPU per flow, and writes {@code benchmarks/target/flow-floor.json}. The
 * exit status is 0 only when no statement and no cryptographic check failed.
 */
public final class FlowFloor {

    private static final String CLIENT_ID = "flow-floor";
    private static final String CLIENT_ROW = "INSERT INTO api_client (client_id, name, display_name, secret_hash, "
            + "callback_signing_secret, callback_uris, created_at) VALUES ('" + CLIENT_ID + "', '" + CLIENT_ID
            + "', 'Flow floor', 'not a hash', '\\x00', '{}', now())";
    private static final String CODE_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String CALLBACK_URI = "https://portal.example/callbacks/mobile-auth";
    private static final String MESSAGE = "Log in to Example Portal";
    private static final String USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private static final int RECORD_BATCH = 8;

    private static final String INSERT_COLUMNS = "INSERT INTO mobile_auth_transaction (transaction_id, client_id, "
            + "type_name, status, code_hash, callback_uri, message, ip_address, user_agent, created_at, expires_at) "
            + "VALUES ($1, $2, 'load', 'PENDING', $3, $4, $5, $6, $7, now(), now() + interval '2 minutes') ";
    private static final String SCAN_SET = "UPDATE mobile_auth_transaction SET status = 'SCANNED', user_id = $2, "
            + "device_id = $3, nonce = $4, scanned_at = now() "
            + "WHERE transaction_id = $1 AND status = 'PENDING' AND expires_at > now() ";
    private static final String ANSWER_SET = "UPDATE mobile_auth_transaction SET status = 'CONFIRMED', "
            + "finished_at = now() WHERE transaction_id = $1 AND status = 'SCANNED' AND device_id = $2 "
            + "AND expires_at > now() ";
    private static final String RESULT = "SELECT status, user_id, reason, reason_detail, expires_at, finished_at "
            + "FROM mobile_auth_transaction WHERE transaction_id = $1 AND client_id = $2";

    /** The statements of one variant: initiate, scan, answer, result, and the delivery record (or none). */
    record Statements(String initiate, String scan, String answer, String result, String record) {
    }

    static final Statements STATE = new Statements(
            INSERT_COLUMNS + "RETURNING transaction_id, expires_at",
            SCAN_SET + "RETURNING transaction_id, message, expires_at",
            ANSWER_SET + "RETURNING transaction_id, status, callback_uri, NULL::bigint AS callback_id",
            RESULT,
            null);

    static final Statements PRODUCT = new Statements(
            "WITH t AS (" + INSERT_COLUMNS + "RETURNING transaction_id, client_id, created_at, expires_at), "
                    + "e AS (INSERT INTO audit_event (occurred_at, event_type, actor, transaction_id, client_id) "
                    + "SELECT created_at, 'TRANSACTION_INITIATED', 'client:' || client_id, transaction_id, client_id "
                    + "FROM t) SELECT transaction_id, expires_at FROM t",
            "WITH s AS (" + SCAN_SET + "RETURNING transaction_id, client_id, user_id, device_id, message, expires_at, "
                    + "scanned_at), e AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, "
                    + "transaction_id, client_id) SELECT scanned_at, 'TRANSACTION_SCANNED', 'device:' || device_id, "
                    + "user_id, device_id, transaction_id, client_id FROM s) "
                    + "SELECT transaction_id, message, expires_at FROM s",
            "WITH a AS (" + ANSWER_SET + "RETURNING transaction_id, client_id, callback_uri, user_id, device_id, "
                    + "status, finished_at), o AS (INSERT INTO callback_outbox (transaction_id, client_id, "
                    + "callback_uri, status, created_at, next_attempt_at) SELECT transaction_id, client_id, "
                    + "callback_uri, status, finished_at, finished_at + interval '30 seconds' FROM a RETURNING id), "
                    + "e AS (INSERT INTO audit_event (occurred_at, event_type, actor, user_id, device_id, "
                    + "transaction_id, client_id) SELECT finished_at, 'TRANSACTION_CONFIRMED', 'device:' || device_id, "
                    + "user_id, device_id, transaction_id, client_id FROM a) "
                    + "SELECT a.transaction_id, a.status, a.callback_uri, o.id AS callback_id FROM a, o",
            RESULT,
            "WITH v AS (SELECT * FROM unnest($1::bigint[], $2::int[]) AS v(id, duration_ms)), "
                    + "d AS (UPDATE callback_outbox o SET delivered_at = now(), attempts = o.attempts + 1 "
                    + "FROM v WHERE o.id = v.id RETURNING o.id) "
                    + "INSERT INTO callback_attempt (outbox_id, attempted_at, duration_ms, http_status) "
                    + "SELECT id, now(), duration_ms, 200 FROM v");

    /** A variant: its statements, the schema changes made before it, and whether flows go over HTTP. */
    record Variant(String name, Statements statements, List<String> schemaChanges, boolean overHttp) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("state", STATE, List.of(), false),
            new Variant("product", PRODUCT, List.of(), false),
            new Variant("product-over-http", PRODUCT, List.of(), true),
            new Variant("product-lean-audit", PRODUCT, List.of("DROP INDEX audit_event_device",
                    "DROP INDEX audit_event_client", "DROP INDEX audit_event_type"), false));

    private final StatementCost.Options options;
    private final ExperimentDatabase database;
    private final List<Thread> cryptoThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService crypto = cryptoPool(cryptoThreads);
    private final OpenPgp pgp = OpenPgp.withDefaultPolicy();
    private final PgpKey serverKey = pgp.generateKey("token-server");
    private final PgpKey deviceKey = pgp.generateKey("device");
    /** What a device sends back: its answer sealed to the server and signed by the device. */
    private final byte[] sealedAnswer = pgp.encryptAndSign(ProtocolJson.write(Map.of("answer", "confirm")),
            serverKey.certificate(), deviceKey);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    private FlowFloor(StatementCost.Options options, ExperimentDatabase database) {
        this.options = options;
        this.database = database;
    }

    public static void main(String[] args) throws Exception {
        StatementCost.Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: FlowFloor [--seconds S] [--concurrency C] [--warmup W] [--out FILE]");
            System.exit(2);
            return;
        }
        System.exit(execute(options) == 0 ? 0 : 1);
    }

    static StatementCost.Options parse(String[] args) {
        return StatementCost.parse(args, Path.of("benchmarks/target/flow-floor.json"));
    }

    /**
     * Runs every variant and stops and deletes the database it started.
     *
     * @return how many flows failed
     */
    static long execute(StatementCost.Options options) throws Exception {
        say("Starting PostgreSQL (fsync on, synchronous_commit on) with the token server's schema ...");
        try (ExperimentDatabase database = ExperimentDatabase.start("flow-floor")) {
            database.execute(CLIENT_ROW);
            FlowFloor experiment = new FlowFloor(options, database);
            try {
                experiment.run();
            } finally {
                experiment.crypto.shutdownNow();
            }
            return experiment.errors.get();
        }
    }

    /** The token server's crypto pool: one thread per core. */
    static ExecutorService cryptoPool(List<Thread> threads) {
        return Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), task -> {
            Thread thread = new Thread(task, "crypto");
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        });
    }

    /** The hot path's pool: pipelined connections with prepared statements kept, as {@code HotPathPool}. */
    static Pool pool(Vertx vertx, int port, String password, int connections) {
        PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(port)
                .setDatabase("postgres").setUser("postgres").setPassword(password)
                .setPipeliningLimit(256).setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(16).setPreparedStatementCacheSqlLimit(8192);
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(connections)).connectingTo(connect).using(vertx).build();
    }

    private void run() throws Exception {
        say("Each variant: " + options.warmup() + " s unmeasured, then " + options.seconds() + " s measured, "
                + options.concurrency() + " flows in flight.");
        List<Map<String, Object>> results = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try {
            for (Variant variant : VARIANTS) {
                for (String change : variant.schemaChanges()) {
                    database.execute(change);
                }
                database.execute("TRUNCATE mobile_auth_transaction, transaction_approver, audit_event, callback_outbox, callback_attempt",
                        "CHECKPOINT");
                results.add(variant.overHttp() ? overHttp(vertx, variant) : inProcess(vertx, variant));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        report(results);
    }

    /** The server's work called directly: no HTTP at all. */
    private Map<String, Object> inProcess(Vertx vertx, Variant variant) throws Exception {
        Pool pool = pool(vertx, database.port(), database.password(), Math.min(8, options.concurrency()));
        try {
            ServerWork server = new ServerWork(pool, variant.statements(), serverKey, deviceKey.certificate(), crypto);
            UUID deviceId = UUID.randomUUID();
            Flows flows = new Flows(() -> {
                UUID id = UUID.randomUUID();
                return server.initiate(id)
                        .compose(started -> server.scan(id, deviceId))
                        .compose(sealed -> server.answer(id, deviceId, sealedAnswer))
                        .compose(callbackId -> server.result(id).compose(result -> server.delivered(callbackId)));
            });
            warmUp(flows);
            return measure(variant, flows, OptionalLong.empty());
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The same work behind a bare HTTP endpoint ({@link BareEndpoint}, plain Vert.x, in a process
     * of its own so that its CPU is measured apart), with its callback sent to a receiver here.
     */
    private Map<String, Object> overHttp(Vertx vertx, Variant variant) throws Exception {
        HttpServer receiver = vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> request.response().setStatusCode(204).end()))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Process endpoint = BareEndpoint.start(database, variant, serverKey, deviceKey.certificate(), receiver.actualPort());
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(options.concurrency()));
        try {
            int port = BareEndpoint.port(endpoint);
            Flows flows = new Flows(() -> call(client, port, HttpMethod.POST, "/initiate", null).compose(id ->
                    call(client, port, HttpMethod.POST, "/scan/" + id, null)
                            .compose(sealed -> call(client, port, HttpMethod.POST, "/answer/" + id, Buffer.buffer(sealedAnswer)))
                            .compose(answered -> call(client, port, HttpMethod.GET, "/result/" + id, null))
                            .mapEmpty()));
            warmUp(flows);
            return measure(variant, flows, OptionalLong.of(endpoint.pid()));
        } finally {
            client.close();
            endpoint.getOutputStream().close(); // the endpoint stops when its standard input ends
            if (!endpoint.waitFor(30, TimeUnit.SECONDS)) {
                endpoint.destroyForcibly();
            }
            receiver.close();
        }
    }

    private static Future<String> call(HttpClient client, int port, HttpMethod method, String path, Buffer body) {
        return client.request(method, port, "127.0.0.1", path)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().compose(text -> response.statusCode() == 200
                        ? Future.succeededFuture(text.toString())
                        : Future.failedFuture(method + " " + path + ": HTTP " + response.statusCode() + " " + text)));
    }

    private void warmUp(Flows flows) throws Exception {
        flows.run(System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmup()));
        // Statistics of the tables as the warm-up filled them, so that the statements are planned
        // (again) as on a server that has been running, not as on empty tables.
        database.execute("ANALYZE mobile_auth_transaction, audit_event, callback_outbox, callback_attempt");
    }

    /**
     * Runs the measured seconds. The server's CPU is this process's, or the endpoint's when
     * {@code endpointPid} is given (then this process is only the driver, reported apart).
     */
    private Map<String, Object> measure(Variant variant, Flows flows, OptionalLong endpointPid) throws Exception {
        long errorsBefore = errors.get();
        long seqScansBefore = sequentialScans();
        long processBefore = processCpuNanos();
        long cryptoBefore = cryptoCpuNanos();
        long endpointBefore = endpointPid.isPresent() ? Proc.cpuMillis(endpointPid.getAsLong()).orElse(0) : 0;
        OptionalLong databaseBefore = database.cpuMillis();
        long start = System.nanoTime();
        long done = flows.run(start + TimeUnit.SECONDS.toNanos(options.seconds()));
        long elapsed = System.nanoTime() - start;
        double process = (processCpuNanos() - processBefore) / 1e6;
        double cryptography = (cryptoCpuNanos() - cryptoBefore) / 1e6;
        double endpoint = endpointPid.isPresent() ? Proc.cpuMillis(endpointPid.getAsLong()).orElse(0) - endpointBefore : 0;
        OptionalLong databaseAfter = database.cpuMillis();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("variant", variant.name());
        row.put("flows", done);
        row.put("seconds", round(elapsed / 1e9));
        row.put("flows_per_second", round(done / (elapsed / 1e9)));
        double server = endpointPid.isPresent() ? endpoint : process;
        row.put("server_cpu_ms_per_flow", done == 0 ? null : round(server / done));
        row.put("crypto_cpu_ms_per_flow", done == 0 || endpointPid.isPresent() ? null : round(cryptography / done));
        Double databaseMs = done == 0 || databaseBefore.isEmpty() || databaseAfter.isEmpty() ? null
                : round((databaseAfter.getAsLong() - databaseBefore.getAsLong()) / (double) done);
        row.put("database_cpu_ms_per_flow", databaseMs);
        row.put("server_plus_database_ms_per_flow", databaseMs == null || done == 0 ? null
                : round(server / done + databaseMs));
        row.put("driver_cpu_ms_per_flow", done == 0 || endpointPid.isEmpty() ? null : round(process / done));
        row.put("errors", errors.get() - errorsBefore);
        // A statement planned as a sequential scan would grow with the table; none should.
        row.put("sequential_scans", sequentialScans() - seqScansBefore);
        say(String.format(Locale.ROOT, "  %-20s %8.1f flows/s", variant.name(), done / (elapsed / 1e9)));
        return row;
    }

    private void report(List<Map<String, Object>> results) throws Exception {
        say("");
        say(String.format(Locale.ROOT, "%-20s %9s %13s %13s %15s %10s %13s %7s %9s", "variant", "flows/s",
                "server ms/fl", "of it crypto", "postgres ms/fl", "sum ms/fl", "driver ms/fl", "errors", "seq scans"));
        for (Map<String, Object> row : results) {
            say(String.format(Locale.ROOT, "%-20s %9s %13s %13s %15s %10s %13s %7s %9s", row.get("variant"),
                    row.get("flows_per_second"), row.get("server_cpu_ms_per_flow"), row.get("crypto_cpu_ms_per_flow"),
                    row.get("database_cpu_ms_per_flow"), row.get("server_plus_database_ms_per_flow"),
                    row.get("driver_cpu_ms_per_flow"), row.get("errors"), row.get("sequential_scans")));
        }
        if (firstError.get() != null) {
            say("first error: " + firstError.get());
        }
        StatementCost.writeReport(options, database, results);
    }

    /**
     * The token server's part of a flow and nothing else: the statements of one variant and the
     * cryptography, each step a future that completes when its statement has committed.
     */
    static final class ServerWork {
        private final Pool pool;
        private final Statements sql;
        private final OpenPgp pgp = OpenPgp.withDefaultPolicy();
        private final PgpKey serverKey;
        private final PgpCertificate deviceCertificate;
        private final List<PgpCertificate> trustedDevice;
        private final ExecutorService crypto;
        private final byte[] message;
        private final ConcurrentLinkedQueue<Long> delivered = new ConcurrentLinkedQueue<>();

        ServerWork(Pool pool, Statements sql, PgpKey serverKey, PgpCertificate deviceCertificate,
                   ExecutorService crypto) {
            this.pool = pool;
            this.sql = sql;
            this.serverKey = serverKey;
            this.deviceCertificate = deviceCertificate;
            this.trustedDevice = List.of(deviceCertificate);
            this.crypto = crypto;
            this.message = ProtocolJson.write(new MobileAuthMessage(MobileAuthMessage.VERSION, UUID.randomUUID(),
                    "alice", "login", MESSAGE, null, "Example Portal",
                    new RequestContext("Firefox 140", "Linux", "192.0.2.10", null), Instant.now().plusSeconds(120),
                    Nonce.generate(new SecureRandom()), List.of(17, 42, 86)));
        }

        Future<Row> initiate(UUID id) {
            return one(sql.initiate(), Tuple.of(id, CLIENT_ID, CODE_HASH, CALLBACK_URI, MESSAGE, "192.0.2.10", USER_AGENT));
        }

        /** Moves the transaction to SCANNED, then seals the message to the device. */
        Future<byte[]> scan(UUID id, UUID deviceId) {
            return one(sql.scan(), Tuple.of(id, "alice", deviceId, "nonce-" + id))
                    .compose(scanned -> onCryptoPool(() -> pgp.encryptAndSign(message, deviceCertificate, serverKey)));
        }

        /** Opens the device's answer, then finishes the transaction; the callback's outbox id, or null. */
        Future<Long> answer(UUID id, UUID deviceId, byte[] sealedAnswer) {
            return onCryptoPool(() -> pgp.decryptAndVerify(sealedAnswer, serverKey, trustedDevice))
                    .compose(opened -> opened instanceof PgpVerification.Verified ? one(sql.answer(), Tuple.of(id, deviceId))
                            : Future.failedFuture("the device's answer did not verify"))
                    .compose(answered -> "CONFIRMED".equals(answered.getString("status"))
                            ? Future.succeededFuture(answered.getLong("callback_id"))
                            : Future.failedFuture("the answer did not confirm"));
        }

        Future<Row> result(UUID id) {
            return one(sql.result(), Tuple.of(id, CLIENT_ID));
        }

        /** Adds a delivered callback to the batch and writes the batch once it is full. */
        Future<Void> delivered(Long callbackId) {
            if (sql.record() == null || callbackId == null) {
                return Future.succeededFuture();
            }
            delivered.add(callbackId);
            if (delivered.size() < RECORD_BATCH) {
                return Future.succeededFuture();
            }
            List<Long> batch = new ArrayList<>(RECORD_BATCH);
            for (Long next; batch.size() < RECORD_BATCH && (next = delivered.poll()) != null; ) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                return Future.succeededFuture();
            }
            Integer[] durations = new Integer[batch.size()];
            java.util.Arrays.fill(durations, 3);
            return pool.preparedQuery(sql.record())
                    .execute(Tuple.tuple().addArrayOfLong(batch.toArray(Long[]::new)).addArrayOfInteger(durations))
                    .mapEmpty();
        }

        private Future<Row> one(String statement, Tuple parameters) {
            return pool.preparedQuery(statement).execute(parameters).compose(rows -> {
                RowSet<Row> set = rows;
                return set.iterator().hasNext() ? Future.succeededFuture(set.iterator().next())
                        : Future.failedFuture("no row from: " + statement.substring(0, Math.min(60, statement.length())));
            });
        }

        private <T> Future<T> onCryptoPool(java.util.concurrent.Callable<T> work) {
            return Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> {
                try {
                    return work.call();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, crypto));
        }
    }

    /**
     * The server's work of a flow behind plain Vert.x HTTP, in a process of its own: no framework,
     * no authentication, no JSON beyond the result's few members. Reads its configuration as one
     * JSON object on standard input (so the database password is on no command line), prints
     * {@code listening <port>} and stops when its standard input ends.
     * <ul>
     *   <li>{@code POST /initiate}: the transaction's id;</li>
     *   <li>{@code POST /scan/<id>}: the message sealed to the device;</li>
     *   <li>{@code POST /answer/<id>} with the sealed answer: {@code CONFIRMED}, then the callback is
     *       posted to the receiver and its delivery recorded;</li>
     *   <li>{@code GET /result/<id>}: the status and the user as JSON.</li>
     * </ul>
     */
    static final class BareEndpoint {

        private BareEndpoint() {
        }

        static Process start(ExperimentDatabase database, Variant variant, PgpKey serverKey,
                             PgpCertificate deviceCertificate, int callbackPort) throws java.io.IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    BareEndpoint.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("databasePort", database.port());
            config.put("databasePassword", database.password());
            config.put("variant", variant.name());
            config.put("serverKey", serverKey.toArmoredSecret());
            config.put("deviceCertificate", deviceCertificate.toArmoredString());
            config.put("callbackPort", callbackPort);
            var stdin = process.getOutputStream();
            stdin.write(ProtocolJson.write(config));
            stdin.write('\n');
            stdin.flush();
            return process;
        }

        /** Waits for the endpoint's {@code listening <port>} line. */
        static int port(Process process) throws java.io.IOException {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String line = lines.readLine();
            if (line == null || !line.startsWith("listening ")) {
                throw new java.io.IOException("the bare endpoint did not start: " + line);
            }
            return Integer.parseInt(line.substring("listening ".length()).trim());
        }

        public static void main(String[] args) throws Exception {
            var stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Map<String, Object> config = ProtocolJson.read(stdin.readLine().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Map.class);
            Statements statements = VARIANTS.stream().filter(v -> v.name().equals(config.get("variant")))
                    .findFirst().orElseThrow().statements();
            OpenPgp pgp = OpenPgp.withDefaultPolicy();
            Vertx vertx = Vertx.vertx();
            Pool pool = pool(vertx, ((Number) config.get("databasePort")).intValue(),
                    (String) config.get("databasePassword"), 8);
            ServerWork work = new ServerWork(pool, statements, pgp.readKey((String) config.get("serverKey")),
                    pgp.readCertificate((String) config.get("deviceCertificate")),
                    cryptoPool(new java.util.concurrent.CopyOnWriteArrayList<>()));
            int callbackPort = ((Number) config.get("callbackPort")).intValue();
            HttpClient callbacks = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new io.vertx.core.http.PoolOptions().setHttp1MaxSize(8));
            UUID deviceId = UUID.randomUUID();
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                String[] path = request.path().split("/");
                String step = path.length > 1 ? path[1] : "";
                Future<Buffer> answer;
                try {
                    answer = switch (step) {
                        case "initiate" -> {
                            UUID id = UUID.randomUUID();
                            yield work.initiate(id).map(row -> Buffer.buffer(id.toString()));
                        }
                        case "scan" -> work.scan(UUID.fromString(path[2]), deviceId).map(Buffer::buffer);
                        case "answer" -> {
                            UUID id = UUID.fromString(path[2]);
                            yield request.body().compose(body -> work.answer(id, deviceId, body.getBytes()))
                                    .map(callbackId -> {
                                        callbacks.request(HttpMethod.POST, callbackPort, "127.0.0.1", "/callback")
                                                .compose(callback -> callback.send("{\"transactionId\":\"" + id
                                                        + "\",\"status\":\"CONFIRMED\"}"))
                                                .compose(response -> response.statusCode() / 100 == 2
                                                        ? work.delivered(callbackId)
                                                        : Future.failedFuture("callback: HTTP " + response.statusCode()))
                                                .onFailure(e -> System.err.println("callback failed: " + e.getMessage()));
                                        return Buffer.buffer("CONFIRMED");
                                    });
                        }
                        case "result" -> work.result(UUID.fromString(path[2])).map(row -> Buffer.buffer(
                                "{\"status\":\"" + row.getString("status") + "\",\"userId\":\""
                                        + row.getString("user_id") + "\"}"));
                        default -> Future.failedFuture("no such step: " + request.path());
                    };
                } catch (RuntimeException e) {
                    answer = Future.failedFuture(e);
                }
                answer.onComplete(result -> {
                    if (result.succeeded()) {
                        request.response().end(result.result());
                    } else {
                        request.response().setStatusCode(500).end(String.valueOf(result.cause().getMessage()));
                    }
                });
            });
            int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).actualPort();
            System.out.println("listening " + port);
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the experiment closes our standard input
            }
            System.exit(0);
        }
    }

    /** C chains of flows; each flow starts when the one before it in its chain ended. */
    private final class Flows {
        private final java.util.function.Supplier<Future<Void>> flow;

        Flows(java.util.function.Supplier<Future<Void>> flow) {
            this.flow = flow;
        }

        long run(long deadlineNanos) throws Exception {
            AtomicLong done = new AtomicLong();
            List<CompletableFuture<Void>> chains = new ArrayList<>();
            for (int i = 0; i < options.concurrency(); i++) {
                CompletableFuture<Void> chain = new CompletableFuture<>();
                chains.add(chain);
                next(deadlineNanos, done, chain);
            }
            CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();
            return done.get();
        }

        private void next(long deadlineNanos, AtomicLong done, CompletableFuture<Void> chain) {
            if (System.nanoTime() >= deadlineNanos) {
                chain.complete(null);
                return;
            }
            flow.get().onComplete(result -> {
                if (result.succeeded()) {
                    done.incrementAndGet();
                    next(deadlineNanos, done, chain);
                } else {
                    // A failing chain ends rather than spin; the error count marks the figures suspect.
                    error(result.cause().getMessage());
                    chain.complete(null);
                }
            });
        }
    }

    /** Sequential scans of the flow's tables so far (the statistics collector's count). */
    private long sequentialScans() throws java.sql.SQLException {
        try (var connection = database.connect(); var statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_force_next_flush()");
            try (var rows = statement.executeQuery("SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_user_tables "
                    + "WHERE relname IN ('mobile_auth_transaction', 'audit_event', 'callback_outbox', 'callback_attempt')")) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    private void error(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }

    private long cryptoCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : cryptoThreads) {
            long cpu = threads.getThreadCpuTime(thread.getId());
            total += Math.max(0, cpu);
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Double round(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 100) / 100.0;
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
