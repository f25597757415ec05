package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.testkit.CallbackInbox;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token server's CPU per request for single kinds of request, to tell the cost of the HTTP
 * layer from that of authentication and database access. Starts its own token server like the
 * load driver:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.qrauth.benchmarks.load.RequestCost</pre>
 *
 * Each kind runs 8 threads for 15 s unmeasured, then 15 s measured.
 */
public final class RequestCost {

    private RequestCost() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "token-server/target/quarkus-app/quarkus-run.jar");
        try (TokenServerUnderTest server = TokenServerUnderTest.start(jar, "256m");
             CallbackInbox receiver = CallbackInbox.start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CreatedClient client = server.admin().createClient(NewClient.of("cost", "Cost", List.of(receiver.uri())));
            server.admin().createType(MobileAuthTypeView.otp("cost", 3600).withDefaultMessage("Log in"));
            String clientAuthorization = basic(client.clientId(), client.clientSecret());
            String form = "type=cost&callback_uri=" + URLEncoder.encode(receiver.uri(), StandardCharsets.UTF_8);
            HttpRequest initiate = HttpRequest.newBuilder(server.uri.resolve("/oauth/api/v4/authenticate/user"))
                    .header("Authorization", clientAuthorization).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            String transactionId = member(send(http, initiate), "transaction_id");
            Map<String, HttpRequest> kinds = Map.of(
                    "1 health (no authentication, no database)",
                    HttpRequest.newBuilder(server.uri.resolve("/q/health/live")).build(),
                    "2 result read (client authentication, one transaction read)",
                    HttpRequest.newBuilder(server.uri.resolve("/oauth/api/v4/authenticate/transaction/" + transactionId))
                            .header("Authorization", clientAuthorization).build(),
                    "3 initiate (client authentication, type read, count, insert)", initiate);
            for (String kind : kinds.keySet().stream().sorted().toList()) {
                run(http, kinds.get(kind), server, 15);
                long[] measured = run(http, kinds.get(kind), server, 15);
                System.out.printf(Locale.ROOT, "%-62s %7.0f requests/s  %6.3f ms server CPU per request%n",
                        kind.substring(2), measured[0] / 15.0, measured[1] / (double) measured[0]);
            }
        }
        System.exit(0);
    }

    /** Requests done and server CPU milliseconds used in {@code seconds} with 8 threads. */
    private static long[] run(HttpClient http, HttpRequest request, TokenServerUnderTest server, int seconds)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        OptionalLong before = server.cpuMillis();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            running.add(threads.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() >= 300) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + " for " + request.uri());
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> thread : running) {
            thread.get();
        }
        threads.shutdown();
        return new long[] {done.get(), server.cpuMillis().orElse(0) - before.orElse(0)};
    }

    private static String send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String member(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return matcher.group(1);
    }

    private static String basic(String user, String password) {
        return new BasicCredentials(user, password).header();
    }
}
