package dev.aeon.dataplane.history.rules;

import com.google.protobuf.util.Durations;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.failure.v1.Failure;

/** Temporal's retry rules: whether another attempt follows a failure, and after how long. */
public final class RetryPolicies {

    /** The outcome: retry after {@code delayMillis}, or stop with {@code state}. */
    public record Decision(boolean retry, long delayMillis, RetryState state) {

        public static Decision stop(RetryState state) {
            return new Decision(false, 0, state);
        }
    }

    private RetryPolicies() {
    }

    /** Fills Temporal's defaults: 1 s initial interval, coefficient 2, maximum 100× the initial interval. */
    public static RetryPolicy withDefaults(RetryPolicy requested) {
        RetryPolicy.Builder policy = requested.toBuilder();
        if (Durations.toMillis(policy.getInitialInterval()) <= 0) {
            policy.setInitialInterval(Durations.fromSeconds(1));
        }
        if (policy.getBackoffCoefficient() < 1) {
            policy.setBackoffCoefficient(2.0);
        }
        if (Durations.toMillis(policy.getMaximumInterval()) <= 0) {
            policy.setMaximumInterval(Durations.fromMillis(100 * Durations.toMillis(policy.getInitialInterval())));
        }
        return policy.build();
    }

    /**
     * @param attempt          the attempt that just failed (1-based)
     * @param expirationMillis when retrying must stop (schedule-to-close), 0 for never
     */
    public static Decision next(RetryPolicy policy, int attempt, Failure failure, long nowMillis, long expirationMillis) {
        if (policy.getMaximumAttempts() > 0 && attempt >= policy.getMaximumAttempts()) {
            return Decision.stop(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
        }
        if (failure != null && isNonRetryable(policy, failure)) {
            return Decision.stop(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
        }
        long delay = backoff(policy, attempt);
        if (failure != null && failure.hasApplicationFailureInfo()
                && failure.getApplicationFailureInfo().hasNextRetryDelay()) {
            delay = Durations.toMillis(failure.getApplicationFailureInfo().getNextRetryDelay());
        }
        if (expirationMillis > 0 && nowMillis + delay >= expirationMillis) {
            return Decision.stop(RetryState.RETRY_STATE_TIMEOUT);
        }
        return new Decision(true, delay, RetryState.RETRY_STATE_IN_PROGRESS);
    }

    static long backoff(RetryPolicy policy, int attempt) {
        double initial = Durations.toMillis(policy.getInitialInterval());
        double delay = initial * Math.pow(policy.getBackoffCoefficient(), attempt - 1);
        long maximum = Durations.toMillis(policy.getMaximumInterval());
        return (long) (maximum > 0 ? Math.min(delay, maximum) : delay);
    }

    private static boolean isNonRetryable(RetryPolicy policy, Failure failure) {
        if (failure.hasApplicationFailureInfo()) {
            if (failure.getApplicationFailureInfo().getNonRetryable()) {
                return true;
            }
            return policy.getNonRetryableErrorTypesList().contains(failure.getApplicationFailureInfo().getType());
        }
        return false;
    }
}
