package dev.aeon.dataplane.history.rules;

import com.google.protobuf.util.Durations;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Temporal's retry decisions, without a server. */
class RetryPoliciesTest {

    private static final RetryPolicy DEFAULTS = RetryPolicies.withDefaults(RetryPolicy.getDefaultInstance());

    private static Failure failure(String type, boolean nonRetryable) {
        return Failure.newBuilder().setMessage("boom").setApplicationFailureInfo(ApplicationFailureInfo.newBuilder()
                .setType(type).setNonRetryable(nonRetryable)).build();
    }

    @Test
    void defaultsAreTemporals() {
        assertEquals(1_000, Durations.toMillis(DEFAULTS.getInitialInterval()));
        assertEquals(2.0, DEFAULTS.getBackoffCoefficient());
        assertEquals(100_000, Durations.toMillis(DEFAULTS.getMaximumInterval()));
    }

    @Test
    void backoffGrowsByTheCoefficientUpToTheMaximum() {
        assertEquals(1_000, RetryPolicies.next(DEFAULTS, 1, null, 0, 0).delayMillis());
        assertEquals(4_000, RetryPolicies.next(DEFAULTS, 3, null, 0, 0).delayMillis());
        assertEquals(100_000, RetryPolicies.next(DEFAULTS, 20, null, 0, 0).delayMillis());
    }

    @Test
    void stopsAtMaximumAttemptsOnNonRetryableFailuresAndAtTheDeadline() {
        RetryPolicy three = DEFAULTS.toBuilder().setMaximumAttempts(3).addNonRetryableErrorTypes("Fatal").build();
        assertEquals(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED, RetryPolicies.next(three, 3, null, 0, 0).state());
        assertEquals(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
                RetryPolicies.next(three, 1, failure("Fatal", false), 0, 0).state());
        assertEquals(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
                RetryPolicies.next(three, 1, failure("Other", true), 0, 0).state());
        RetryPolicies.Decision late = RetryPolicies.next(three, 1, failure("Other", false), 10_000, 10_500);
        assertFalse(late.retry());
        assertEquals(RetryState.RETRY_STATE_TIMEOUT, late.state());
        assertTrue(RetryPolicies.next(three, 1, failure("Other", false), 10_000, 20_000).retry());
    }

    @Test
    void aFailuresNextRetryDelayWins() {
        Failure withDelay = failure("Other", false).toBuilder().setApplicationFailureInfo(ApplicationFailureInfo
                .newBuilder().setType("Other").setNextRetryDelay(Durations.fromSeconds(7))).build();
        assertEquals(7_000, RetryPolicies.next(DEFAULTS, 1, withDelay, 0, 0).delayMillis());
    }
}
