package dev.qrauth.tokenserver.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.tokenserver.callback.AttemptResult.Failure;
import dev.qrauth.tokenserver.callback.CallbackRecorder.Kind;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What becomes of a callback after one attempt, decided from how the attempt ended. */
class AttemptResultTest {

    @Nested
    class TheReceiverAnswered {

        @ParameterizedTest
        @ValueSource(ints = {200, 201, 204, 299})
        void a2xxDelivers(int status) {
            AttemptResult result = AttemptResult.answered(status);
            assertThat(result.kind(false)).isEqualTo(Kind.DELIVERED);
            assertThat(result.kind(true)).as("delivered, however old").isEqualTo(Kind.DELIVERED);
            assertThat(result.httpStatus()).isEqualTo(status);
            assertThat(result.error()).isNull();
        }

        @ParameterizedTest
        @ValueSource(ints = {100, 199, 300, 302, 400, 404, 500, 503})
        void anyOtherStatusIsRetriedUntilTheMaximumAge(int status) {
            AttemptResult result = AttemptResult.answered(status);
            assertThat(result.kind(false)).isEqualTo(Kind.RETRY);
            assertThat(result.kind(true)).isEqualTo(Kind.ABANDONED);
            assertThat(result.httpStatus()).isEqualTo(status);
            assertThat(result.error()).isEqualTo("HTTP " + status);
        }
    }

    @Nested
    class NothingWasSent {

        @Test
        void aRefusalIsAbandonedAtOnce() {
            AttemptResult result = AttemptResult.notSent(Failure.REFUSED, "the client is disabled");
            assertThat(result.kind(false)).isEqualTo(Kind.ABANDONED);
            assertThat(result.error()).isEqualTo("the client is disabled");
            assertThat(result.httpStatus()).isNull();
        }

        @Test
        void aHostThatDoesNotResolveIsRetriedUntilTheMaximumAge() {
            AttemptResult result = AttemptResult.notSent(Failure.UNRESOLVED, "the callback host does not resolve");
            assertThat(result.kind(false)).isEqualTo(Kind.RETRY);
            assertThat(result.kind(true)).isEqualTo(Kind.ABANDONED);
        }

        @Test
        void anUnplannedFailureIsRetriedAndRecordedByItsTypeOnly() {
            AttemptResult result = AttemptResult.notSent(new IllegalStateException("secret detail"));
            assertThat(result.kind(false)).isEqualTo(Kind.RETRY);
            assertThat(result.failure()).isEqualTo(Failure.NOT_SENT);
            assertThat(result.error()).isEqualTo("not sent: IllegalStateException");
        }

        @Test
        void theWordsRecordedDecideNothing() {
            // A refusal worded like a passing problem is still a refusal, and the other way round.
            assertThat(AttemptResult.notSent(Failure.REFUSED, "timed out").kind(false)).isEqualTo(Kind.ABANDONED);
            assertThat(AttemptResult.notSent(Failure.UNRESOLVED, "callback address refused").kind(false))
                    .isEqualTo(Kind.RETRY);
        }
    }

    @Nested
    class NoAnswerCame {

        @Test
        void aTimeoutIsRetried() {
            AttemptResult result = AttemptResult.noAnswer(new TimeoutException("read"));
            assertThat(result.failure()).isEqualTo(Failure.TIMED_OUT);
            assertThat(result.error()).isEqualTo("timed out");
            assertThat(result.kind(false)).isEqualTo(Kind.RETRY);
        }

        @Test
        void aConnectTimeoutIsATimeoutNotAnUnreachableAddress() {
            AttemptResult result = AttemptResult.noAnswer(new ConnectTimeoutException("connect"));
            assertThat(result.failure()).isEqualTo(Failure.TIMED_OUT);
            assertThat(result.error()).isEqualTo("timed out");
        }

        @Test
        void aRefusedConnectionIsRetried() {
            AttemptResult result = AttemptResult.noAnswer(new ConnectException("Connection refused"));
            assertThat(result.failure()).isEqualTo(Failure.UNREACHABLE);
            assertThat(result.error()).isEqualTo("connection refused or unreachable");
            assertThat(result.kind(false)).isEqualTo(Kind.RETRY);
            assertThat(result.kind(true)).isEqualTo(Kind.ABANDONED);
        }

        @Test
        void anyOtherBreakIsRetriedAndRecordedByItsType() {
            AttemptResult result = AttemptResult.noAnswer(new IOException("Connection reset by peer"));
            assertThat(result.failure()).isEqualTo(Failure.EXCHANGE_FAILED);
            assertThat(result.error()).isEqualTo("IOException");
            assertThat(result.kind(false)).isEqualTo(Kind.RETRY);
        }
    }
}
