package dev.qrauth.benchmarks.load;

import dev.qrauth.testkit.CallbackInbox;
import dev.qrauth.testkit.VirtualPhone;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;

/**
 * Complete flows against a token server, as a portal and many phones would run them: initiate,
 * fetch, answer, callback received, result read. Run it through {@code benchmarks/load.sh}; the
 * options are in {@link LoadCommandLine} and {@code docs/PERFORMANCE.md}.
 *
 * <p>This class puts the parts together and stops what it started: the server under test
 * ({@link TokenServerUnderTest}) and the portal's {@link CallbackInbox}, readied by
 * {@link ServerSetUp}; the flows ({@link FlowRunner}, {@link Flow}) on a {@link Timeline}; the
 * figures ({@link Samples}, {@link CpuSample}) written by {@link LoadReport}.
 */
public final class LoadDriver {

    private final LoadOptions options;
    private final PrintStream out = System.out;
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
    private CallbackInbox callbacks;

    private LoadDriver(LoadOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(LoadCommandLine.run(args, out, err, System.getenv(), LoadDriver::run));
    }

    /**
     * Runs the driver as the command line says, without printing help or mapping to exit codes.
     *
     * @return how many flows failed
     * @throws UsageException when the command line is wrong
     */
    static long execute(String[] args) throws Exception {
        return run(LoadCommandLine.parse(args, System.getenv()));
    }

    /**
     * Runs the driver with checked options and stops what it started, also on Ctrl-C or a kill.
     *
     * @return how many flows failed
     */
    static long run(LoadOptions options) throws Exception {
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
            return driver.measure();
        } finally {
            driver.close();
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
    }

    private long measure() throws Exception {
        callbacks = CallbackInbox.start();
        if (options.server() != null) {
            server = TokenServerUnderTest.external(options.server(), options.adminPassword());
        } else {
            out.println("Starting the token server (-Xmx" + options.heap() + ", embedded PostgreSQL) ...");
            server = TokenServerUnderTest.start(options.tokenServerJar(), options.heap());
        }
        ServerSetUp setUp = new ServerSetUp(server, http, out);
        PortalSimulator portal = setUp.portal(callbacks);
        BlockingQueue<VirtualPhone> devices = setUp.devices(options.devices());
        if (options.oldRows() > 0) {
            setUp.seedOldRows(options.oldRows(), portal.clientId());
        }
        out.println("Warming up for " + options.warmupSeconds() + " s, then measuring for " + options.durationSeconds()
                + " s (" + (options.openLoop() ? "open loop at " + options.rate() + " flows/s"
                : "closed loop, concurrency " + options.concurrency()) + ", " + options.devices() + " devices) ...");
        Timeline timeline = Timeline.startingNow(options.warmupSeconds(), options.durationSeconds());
        FlowRunner runner = new FlowRunner(new Flow(portal, devices, callbacks, samples, timeline), timeline, samples,
                server);
        CpuSample.Window cpu = options.openLoop() ? runner.openLoop(options.rate()) : runner.closedLoop(options.concurrency());
        new LoadReport(options, samples, timeline, cpu, CryptoFloor.millisPerFlow(options.jmh()), callbacks.badSignatures())
                .write(out);
        return samples.errorCount();
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
}
