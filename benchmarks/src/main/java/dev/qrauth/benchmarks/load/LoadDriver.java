package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Complete flows against a token server, as a portal and many phones would run them: initiate,
 * fetch, answer, callback received, result read. Run it through {@code benchmarks/load.sh}; the
 * options are described there and in {@code docs/PERFORMANCE.md}.
 */
public final class LoadDriver {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final String PIN = "24680";

    private final Options options;
    private final Samples samples = new Samples();
    /**
     * The one HTTP client of the whole driver: the portal simulator and every virtual phone send
     * through it (the SDK's {@code httpClient} option), so that the driver's CPU goes to the
     * phones' cryptography, not to a selector thread, an executor and a connection pool per phone.
     * HTTP/1.1 with keep-alive: cheaper on both sides than upgrading each connection to h2c, and
     * what a portal's HTTP client does. A flow has at most one request in flight, so the open
     * connections are bounded by the flows running at once (the concurrency, or the open loop's
     * flows in progress), and idle ones are reused.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private TokenServerUnderTest server;
    private CallbackReceiver callbacks;
    private String clientAuthorization;
    /** What every initiation sends, built once. */
    private URI initiateUri;
    private HttpRequest.BodyPublisher initiateForm;
    private String resultUriPrefix;
    private BlockingQueue<Device> devices;
    /** Flows completed in each second since the first flow started, warm-up included: the warm-up curve. */
    private volatile java.util.concurrent.atomic.AtomicIntegerArray timeline;
    private volatile long startNanos;
    private volatile long measureFromNanos;
    private volatile long measureUntilNanos;
    /** Server and database CPU at the start and the end of the measured window. */
    private OptionalLong[] cpuAtStart = {OptionalLong.empty(), OptionalLong.empty()};
    private OptionalLong[] cpuAtEnd = {OptionalLong.empty(), OptionalLong.empty()};
    private OptionalLong[] driverAndMachineAtStart = {OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()};
    private OptionalLong[] driverAndMachineAtEnd = {OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()};

    record Device(UserClient client, UserProfile profile) {
    }

    record Options(URI server, String adminPassword, int durationSeconds, int warmupSeconds, int concurrency,
                   double rate, int devices, Path out, Path jmh, String heap, Path tokenServerJar, long oldRows) {
    }

    private LoadDriver(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        System.exit(execute(args) == 0 ? 0 : 1);
    }

    /**
     * Runs the driver as the command line says and stops what it started.
     *
     * @return how many flows failed
     */
    static long execute(String[] args) throws Exception {
        Options options = parse(args);
        LoadDriver driver = new LoadDriver(options);
        // Ctrl-C or a kill must not leave the started token server (and its database) running.
        Thread stopper = new Thread(() -> {
            try {
                driver.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-token-server");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            driver.run();
            return driver.samples.errorCount();
        } finally {
            driver.close();
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
    }

    private void run() throws Exception {
        callbacks = new CallbackReceiver();
        if (options.server() != null) {
            server = TokenServerUnderTest.external(options.server(), options.adminPassword());
        } else {
            say("Starting the token server (-Xmx" + options.heap() + ", embedded PostgreSQL) ...");
            server = TokenServerUnderTest.start(options.tokenServerJar(), options.heap());
        }
        setUp();
        if (options.oldRows() > 0) {
            seedOldRows(options.oldRows());
        }
        say("Warming up for " + options.warmupSeconds() + " s, then measuring for " + options.durationSeconds() + " s ("
                + (options.rate() > 0 ? "open loop at " + options.rate() + " flows/s" : "closed loop, concurrency "
                + options.concurrency()) + ", " + options.devices() + " devices) ...");
        long start = System.nanoTime();
        timeline = new java.util.concurrent.atomic.AtomicIntegerArray(options.warmupSeconds() + options.durationSeconds() + 1);
        startNanos = start;
        measureFromNanos = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        measureUntilNanos = measureFromNanos + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        if (options.rate() > 0) {
            runOpenLoop();
        } else {
            runClosedLoop();
        }
        report();
    }

    /** Waits for an edge of the measured window: the flows run on other threads meanwhile. */
    private void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void runClosedLoop() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(options.concurrency());
        for (int i = 0; i < options.concurrency(); i++) {
            workers.execute(() -> {
                while (System.nanoTime() < measureUntilNanos) {
                    long begin = System.nanoTime();
                    runFlow(begin, begin >= measureFromNanos);
                }
            });
        }
        markWindow();
        workers.shutdown();
        workers.awaitTermination(FLOW_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    }

    private void runOpenLoop() throws Exception {
        ThreadPoolExecutor flows = new ThreadPoolExecutor(0, 2048, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long intervalNanos = (long) (1_000_000_000L / options.rate());
        long first = System.nanoTime();
        clock.scheduleAtFixedRate(new Runnable() {
            long n;

            @Override
            public void run() {
                // Latency counts from when the flow was due, so a stalled server cannot hide it.
                long due = first + n++ * intervalNanos;
                if (due >= measureUntilNanos) {
                    return;
                }
                try {
                    flows.execute(() -> runFlow(due, due >= measureFromNanos));
                } catch (RuntimeException rejected) {
                    if (due >= measureFromNanos) {
                        samples.error("driver overloaded: flow not started");
                    }
                }
            }
        }, 0, intervalNanos, TimeUnit.NANOSECONDS);
        markWindow();
        clock.shutdownNow();
        flows.shutdown();
        flows.awaitTermination(FLOW_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    }

    /** Reads the server's CPU at the start and the end of the measured window. */
    private void markWindow() throws InterruptedException {
        sleepUntil(measureFromNanos);
        cpuAtStart = new OptionalLong[] {server.cpuMillis(), server.databaseCpuMillis()};
        driverAndMachineAtStart = driverAndMachine();
        sleepUntil(measureUntilNanos);
        cpuAtEnd = new OptionalLong[] {server.cpuMillis(), server.databaseCpuMillis()};
        driverAndMachineAtEnd = driverAndMachine();
    }

    /** This driver's CPU, the machine's busy time and its steal time, in milliseconds. */
    private static OptionalLong[] driverAndMachine() {
        OptionalLong driver = Proc.cpuMillis(ProcessHandle.current().pid());
        return Proc.machineMillis()
                .map(m -> new OptionalLong[] {driver, OptionalLong.of(m[0]), OptionalLong.of(m[1])})
                .orElse(new OptionalLong[] {driver, OptionalLong.empty(), OptionalLong.empty()});
    }

    /**
     * The warm-up curve: flows per second in 5-s buckets from the first flow on
     * ({@code timeline_flows_per_s}), and how long the server took to reach 90% of its steady
     * throughput ({@code seconds_to_90_percent}): the start of the first 10-s window whose rate is
     * at least 90% of the rate of the run's last 60 s (or of its measured window, if shorter).
     * Run from a cold start with {@code --warmup 0} to measure a cold server.
     */
    private void warmUpCurve(Map<String, Object> json) {
        int seconds = timeline.length() - 1;
        List<Double> buckets = new java.util.ArrayList<>();
        for (int from = 0; from + 5 <= seconds; from += 5) {
            buckets.add(round(sum(from, from + 5) / 5.0));
        }
        json.put("timeline_flows_per_s", buckets);
        int steadyWindow = Math.min(60, options.durationSeconds());
        double steady = sum(seconds - steadyWindow, seconds) / (double) steadyWindow;
        Integer reached = null;
        for (int from = 0; from + 10 <= seconds; from++) {
            if (sum(from, from + 10) / 10.0 >= 0.9 * steady) {
                reached = from;
                break;
            }
        }
        json.put("steady_flows_per_s", round(steady));
        json.put("seconds_to_90_percent", reached);
    }

    private long sum(int fromSecond, int toSecond) {
        long total = 0;
        for (int i = Math.max(0, fromSecond); i < toSecond; i++) {
            total += timeline.get(i);
        }
        return total;
    }

    private void runFlow(long dueNanos, boolean measured) {
        Device device = null;
        UUID transactionId = null;
        try {
            device = devices.poll(FLOW_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (device == null) {
                throw new FlowException("no free device");
            }
            long t0 = System.nanoTime();
            AuthenticationStarted started = initiate();
            long t1 = System.nanoTime();
            transactionId = started.transactionId();
            CompletableFuture<Long> callback = callbacks.arrival(transactionId);
            long[] times = answer(device, started.otp());
            String userId = device.profile().userId();
            // The phone is free again; the portal's part goes on without it.
            devices.add(device);
            device = null;
            long callbackArrived = callback.get(FLOW_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long t4 = System.nanoTime();
            TransactionResult result = result(transactionId);
            long t5 = System.nanoTime();
            if (result.status() != TransactionStatus.CONFIRMED || !result.isAuthenticated()
                    || !userId.equals(result.userId())) {
                throw new FlowException("result not CONFIRMED for the device's user: " + result.status());
            }
            int second = (int) TimeUnit.NANOSECONDS.toSeconds(t5 - startNanos);
            if (second < timeline.length()) {
                timeline.incrementAndGet(second);
            }
            if (measured) {
                samples.record("initiate", t1 - t0);
                samples.record("fetch", times[0] - t1);
                samples.record("answer", times[2] - times[1]);
                samples.record("answer_to_callback", callbackArrived - times[1]);
                samples.record("result", t5 - t4);
                samples.record("flow", t5 - dueNanos);
                samples.flowDone();
            }
        } catch (FlowException e) {
            if (measured) {
                samples.error(e.getMessage());
            }
        } catch (TimeoutException e) {
            if (measured) {
                samples.error("callback not received within " + FLOW_TIMEOUT.toSeconds() + " s");
            }
        } catch (Exception e) {
            if (measured) {
                StackTraceElement[] at = e.getStackTrace();
                samples.error(e.getClass().getSimpleName() + (at.length == 0 ? "" : " at " + at[0]));
            }
        } finally {
            if (transactionId != null) {
                callbacks.forget(transactionId);
            }
            if (device != null) {
                devices.add(device);
            }
        }
    }

    private AuthenticationStarted initiate() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(initiateUri)
                .timeout(FLOW_TIMEOUT).header("Authorization", clientAuthorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(initiateForm).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new FlowException("initiate HTTP " + response.statusCode());
        }
        return ProtocolJson.read(response.body(), AuthenticationStarted.class);
    }

    private TransactionResult result(UUID transactionId) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(resultUriPrefix + transactionId))
                .timeout(FLOW_TIMEOUT).header("Authorization", clientAuthorization).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new FlowException("result HTTP " + response.statusCode());
        }
        return ProtocolJson.read(response.body(), TransactionResult.class);
    }

    /**
     * The phone's part: fetch and open the message, confirm, send the answer.
     *
     * @return nano times: message shown (fetch done), answer sent, answer accepted
     */
    private long[] answer(Device device, String otp) throws Exception {
        long[] times = new long[3];
        CompletableFuture<Void> done = new CompletableFuture<>();
        device.client().handleOtpMobileAuthRequest(otp, new MobileAuthRequestDelegate() {
            @Override
            public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
                // The user decides at once: what follows is the answer's own cost.
                times[0] = System.nanoTime();
                times[1] = times[0];
                confirmation.confirm();
            }

            @Override
            public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator, MobileAuthInfo info) {
                times[2] = System.nanoTime();
                done.complete(null);
            }

            @Override
            public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                         SdkException error) {
                done.completeExceptionally(new FlowException("SDK " + error.code()));
            }
        });
        try {
            done.get(FLOW_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof FlowException flow ? flow : new FlowException("SDK failure");
        } catch (TimeoutException e) {
            throw new FlowException("phone did not finish within " + FLOW_TIMEOUT.toSeconds() + " s");
        }
        return times;
    }

    private void setUp() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> client = admin("POST", "/clients", "{\"name\":\"load-" + run + "\",\"display_name\":\"Load Test Portal\","
                + "\"callback_uris\":[\"" + callbacks.uri() + "\"]}", 201);
        clientAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (client.get("client_id") + ":" + client.get("client_secret")).getBytes(StandardCharsets.UTF_8));
        callbacks.signingSecret((String) client.get("callback_signing_secret"));
        initiateUri = server.uri.resolve("/oauth/api/v4/authenticate/user");
        resultUriPrefix = server.uri.resolve("/oauth/api/v4/authenticate/transaction/").toString();
        initiateForm = HttpRequest.BodyPublishers.ofString("type=load&message="
                + URLEncoder.encode("Log in to the load test", StandardCharsets.UTF_8)
                + "&callback_uri=" + URLEncoder.encode(callbacks.uri(), StandardCharsets.UTF_8)
                + "&ip_address=127.0.0.1&user_agent=" + URLEncoder.encode(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                StandardCharsets.UTF_8));
        admin("POST", "/mobile-auth-types", "{\"name\":\"load\",\"method\":\"OTP\",\"time_to_live_seconds\":120}", 201, 409);

        say("Registering and enrolling " + options.devices() + " virtual devices ...");
        devices = new ArrayBlockingQueue<>(options.devices());
        ExecutorService setup = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Device>> made = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            String userId = "load-" + run + "-" + i;
            made.add(CompletableFuture.supplyAsync(() -> {
                try {
                    Map<String, Object> user = admin("POST", "/users", "{\"user_id\":\"" + userId + "\"}", 201);
                    UserClient phone = UserClient.builder().serverUri(server.uri).store(new InMemoryStore())
                            .deviceName("virtual device").httpClient(http).build();
                    UserProfile profile = phone.registerUser(userId, (String) user.get("activation_code"), PIN);
                    phone.authenticateUser(profile, PIN);
                    phone.enrollForMobileAuth();
                    return new Device(phone, profile);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, setup));
        }
        for (CompletableFuture<Device> device : made) {
            devices.add(device.get(5, TimeUnit.MINUTES));
        }
        setup.shutdown();
    }

    private void seedOldRows(long rows) throws Exception {
        OptionalLong port = server.databasePort();
        if (port.isEmpty()) {
            throw new IllegalStateException("--old-rows needs the token server this driver starts");
        }
        say("Adding " + rows + " finished transactions, as months of use would leave ...");
        String clientId = firstClientId();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port.getAsLong() + "/postgres",
                "postgres", server.databasePassword());
             Statement sql = db.createStatement()) {
            // Finished within the retention period, so they stay in the tables while measured.
            sql.execute("INSERT INTO mobile_auth_transaction (transaction_id, client_id, type_name, status, code_hash, "
                    + "callback_uri, message, user_id, reason, created_at, expires_at, finished_at) "
                    + "SELECT gen_random_uuid(), '" + clientId + "', 'load', "
                    + "CASE WHEN g % 3 = 0 THEN 'EXPIRED' WHEN g % 3 = 1 THEN 'CONFIRMED' ELSE 'REJECTED' END, "
                    + "md5(g::text), 'http://127.0.0.1/cb', 'old', 'old-user', NULL, "
                    + "now() - interval '2 days' + g * interval '1 millisecond', "
                    + "now() - interval '2 days' + g * interval '1 millisecond' + interval '2 minutes', "
                    + "now() - interval '2 days' + g * interval '1 millisecond' + interval '1 minute' "
                    + "FROM generate_series(1, " + rows + ") g");
            sql.execute("ANALYZE mobile_auth_transaction");
        }
    }

    private String firstClientId() {
        String authorization = new String(Base64.getDecoder().decode(clientAuthorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return authorization.substring(0, authorization.indexOf(':'));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> admin(String method, String path, String json, int... expected)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(server.uri.resolve("/admin/api/v1" + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + server.adminPassword).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body().length == 0 ? Map.of() : ProtocolJson.read(response.body(), Map.class);
            }
        }
        throw new IllegalStateException("admin " + method + " " + path + ": HTTP " + response.statusCode() + " "
                + new String(response.body(), StandardCharsets.UTF_8));
    }

    private void report() throws IOException {
        double seconds = options.durationSeconds();
        long flows = samples.flows();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("flows_per_second", round(flows / seconds));
        json.put("flows", flows);
        json.put("errors", samples.errorCount());
        Map<String, Long> byKind = new LinkedHashMap<>();
        samples.errors().forEach((kind, count) -> byKind.put(kind, count.get()));
        json.put("errors_by_kind", byKind);
        for (String step : List.of("initiate", "fetch", "answer", "answer_to_callback", "result", "flow")) {
            for (int p : new int[] {50, 95, 99}) {
                json.put(step + "_p" + p + "_ms", round(samples.percentileMillis(step, p)));
            }
        }
        Long serverCpu = delta(cpuAtStart[0], cpuAtEnd[0]);
        Long databaseCpu = delta(cpuAtStart[1], cpuAtEnd[1]);
        json.put("server_cpu_ms_per_flow", serverCpu == null || flows == 0 ? null : round((double) serverCpu / flows));
        json.put("database_cpu_ms_per_flow", databaseCpu == null || flows == 0 ? null : round((double) databaseCpu / flows));
        // The driver's own share, and the whole machine's: on one machine all three share the cores.
        Long driverCpu = delta(driverAndMachineAtStart[0], driverAndMachineAtEnd[0]);
        Long machineBusy = delta(driverAndMachineAtStart[1], driverAndMachineAtEnd[1]);
        Long machineSteal = delta(driverAndMachineAtStart[2], driverAndMachineAtEnd[2]);
        json.put("driver_cpu_ms_per_flow", driverCpu == null || flows == 0 ? null : round((double) driverCpu / flows));
        json.put("machine_cpu_ms_per_flow", machineBusy == null || flows == 0 ? null : round((double) machineBusy / flows));
        json.put("machine_busy_cores", machineBusy == null ? null : round(machineBusy / (seconds * 1000)));
        json.put("machine_steal_cores", machineSteal == null ? null : round(machineSteal / (seconds * 1000)));
        Double floor = cryptoFloorMillis();
        json.put("crypto_floor_ms_per_flow", floor == null ? null : round(floor));
        warmUpCurve(json);
        json.put("mode", options.rate() > 0 ? "open" : "closed");
        json.put("rate", options.rate() > 0 ? options.rate() : null);
        json.put("concurrency", options.rate() > 0 ? null : options.concurrency());
        json.put("duration_s", options.durationSeconds());
        json.put("warmup_s", options.warmupSeconds());
        json.put("devices", options.devices());
        json.put("server_heap", options.server() == null ? options.heap() : null);
        json.put("old_rows", options.oldRows());
        json.put("callback_bad_signatures", callbacks.badSignatures());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.write(options.out(), ProtocolJson.write(json));

        say("");
        say(String.format(Locale.ROOT, "%d flows in %d s: %.1f flows/s, %d errors %s", flows, options.durationSeconds(),
                flows / seconds, samples.errorCount(), byKind.isEmpty() ? "" : byKind));
        say(String.format(Locale.ROOT, "%-20s %9s %9s %9s", "step (ms)", "p50", "p95", "p99"));
        for (String step : List.of("initiate", "fetch", "answer", "answer_to_callback", "result", "flow")) {
            say(String.format(Locale.ROOT, "%-20s %9.2f %9.2f %9.2f", step, samples.percentileMillis(step, 50),
                    samples.percentileMillis(step, 95), samples.percentileMillis(step, 99)));
        }
        say("token server CPU per flow: " + json.get("server_cpu_ms_per_flow") + " ms; database: "
                + json.get("database_cpu_ms_per_flow") + " ms; crypto floor: " + json.get("crypto_floor_ms_per_flow") + " ms");
        say("driver CPU per flow: " + json.get("driver_cpu_ms_per_flow") + " ms; whole machine: "
                + json.get("machine_cpu_ms_per_flow") + " ms per flow, " + json.get("machine_busy_cores") + " of "
                + Runtime.getRuntime().availableProcessors() + " cores busy, " + json.get("machine_steal_cores")
                + " cores stolen by the hypervisor");
        say("warm-up: 90% of the steady " + json.get("steady_flows_per_s") + " flows/s reached after "
                + json.get("seconds_to_90_percent") + " s (flows per second in 5-s steps: "
                + json.get("timeline_flows_per_s") + ")");
        say("Written to " + options.out());
    }

    /** One encrypt-and-sign plus one decrypt-and-verify, from this run's JMH figures. */
    @SuppressWarnings("unchecked")
    private Double cryptoFloorMillis() throws IOException {
        if (options.jmh() == null || !Files.exists(options.jmh())) {
            return null;
        }
        List<Map<String, Object>> results = ProtocolJson.read(Files.readAllBytes(options.jmh()), List.class);
        double total = 0;
        int found = 0;
        for (Map<String, Object> result : results) {
            String name = (String) result.get("benchmark");
            if (name.endsWith("OpenPgpBenchmark.encryptAndSign") || name.endsWith("OpenPgpBenchmark.decryptAndVerify")) {
                Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
                double score = ((Number) metric.get("score")).doubleValue();
                String unit = (String) metric.get("scoreUnit");
                total += unit.startsWith("us") ? score / 1000 : unit.startsWith("ms") ? score : score / 1_000_000;
                found++;
            }
        }
        return found == 2 ? total : null;
    }

    private static Long delta(OptionalLong before, OptionalLong after) {
        return before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : null;
    }

    private static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 100) / 100.0;
    }

    private synchronized void close() throws InterruptedException {
        if (callbacks != null) {
            callbacks.close();
            callbacks = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static Options parse(String[] args) {
        URI server = null;
        String adminPassword = System.getenv("QRAUTH_ADMIN_PASSWORD");
        int duration = 60;
        int warmup = 10;
        int concurrency = 32;
        double rate = 0;
        int devices = 0;
        Path out = Path.of("benchmarks/target/load-result.json");
        Path jmh = null;
        String heap = "256m";
        Path jar = Path.of("token-server/target/quarkus-app/quarkus-run.jar");
        long oldRows = 0;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--server" -> server = URI.create(require(args[i], value));
                case "--admin-password" -> throw new IllegalArgumentException("give the admin password in the environment "
                        + "variable QRAUTH_ADMIN_PASSWORD, not on the command line, which every user of the machine can read");
                case "--duration" -> duration = Integer.parseInt(require(args[i], value));
                case "--warmup" -> warmup = Integer.parseInt(require(args[i], value));
                case "--concurrency" -> concurrency = Integer.parseInt(require(args[i], value));
                case "--rate" -> rate = Double.parseDouble(require(args[i], value));
                case "--devices" -> devices = Integer.parseInt(require(args[i], value));
                case "--out" -> out = Path.of(require(args[i], value));
                case "--jmh" -> jmh = Path.of(require(args[i], value));
                case "--heap" -> heap = require(args[i], value);
                case "--token-server-jar" -> jar = Path.of(require(args[i], value));
                case "--old-rows" -> oldRows = Long.parseLong(require(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see benchmarks/load.sh --help");
            }
            i++;
        }
        if (server != null && adminPassword == null) {
            throw new IllegalArgumentException("--server needs the admin password in QRAUTH_ADMIN_PASSWORD to set up devices");
        }
        if (devices == 0) {
            devices = rate > 0 ? Math.max(64, (int) Math.ceil(rate / 4)) : Math.max(2 * concurrency, 8);
        }
        return new Options(server, adminPassword, duration, warmup, concurrency, rate, devices, out, jmh, heap, jar, oldRows);
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static final class FlowException extends RuntimeException {
        FlowException(String message) {
            super(message, null, false, false);
        }
    }
}
