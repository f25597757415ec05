package dev.qrauth.tokenserver.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.tokenserver.TestApi;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two workers claiming at once, as two nodes do, never hold the same callback. */
@QuarkusTest
class CallbackClaimTest {

    private static final int ROWS = 60;

    @Inject
    CallbackDelivery delivery;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrentClaimsAreDisjointAndALeasedRowIsNotClaimedAgain() throws Exception {
        TestApi.Client client = TestApi.createClient();
        long firstId = insertDueRows(client.clientId());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<CallbackDelivery.Claimed>>> claims = new ArrayList<>();
            for (int worker = 0; worker < 2; worker++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    List<CallbackDelivery.Claimed> mine = new ArrayList<>();
                    for (int round = 0; round < 10; round++) {
                        delivery.claim(firstId, 4, Map.of()).forEach(claim -> mine.add(claim.row()));
                    }
                    return mine;
                }));
            }
            start.countDown();
            Set<Long> first = ids(claims.get(0).get(30, TimeUnit.SECONDS));
            Set<Long> second = ids(claims.get(1).get(30, TimeUnit.SECONDS));
            assertThat(first).isNotEmpty();
            assertThat(second).isNotEmpty();
            assertThat(first).doesNotContainAnyElementsOf(second);
            Set<Long> all = new HashSet<>(first);
            all.addAll(second);
            assertThat(delivery.claim(firstId, ROWS, Map.of()))
                    .as("every claimed row is leased").extracting(claim -> claim.row().id())
                    .doesNotContainAnyElementsOf(all);
        } finally {
            pool.shutdownNow();
            markDelivered(firstId);
        }
    }

    private long insertDueRows(String clientId) throws Exception {
        long first = -1;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO callback_outbox "
                     + "(transaction_id, client_id, callback_uri, status, created_at, next_attempt_at) "
                     + "VALUES (?, ?, 'http://127.0.0.1:9/unreachable', 'CONFIRMED', now(), now()) RETURNING id")) {
            for (int i = 0; i < ROWS; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, clientId);
                try (ResultSet id = insert.executeQuery()) {
                    id.next();
                    if (first < 0) {
                        first = id.getLong(1);
                    }
                }
            }
        }
        return first;
    }

    private void markDelivered(long firstId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE callback_outbox SET delivered_at = now() WHERE id >= ? AND callback_uri LIKE '%/unreachable'")) {
            update.setLong(1, firstId);
            update.executeUpdate();
        }
    }

    private static Set<Long> ids(List<CallbackDelivery.Claimed> claimed) {
        Set<Long> ids = new HashSet<>();
        for (CallbackDelivery.Claimed row : claimed) {
            assertThat(ids.add(row.id())).as("claimed twice by one worker").isTrue();
        }
        return ids;
    }
}
