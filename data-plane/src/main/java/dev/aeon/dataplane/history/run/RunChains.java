package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.history.state.StoredProtos;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.rules.RetryPolicies;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.rules.RetryPolicies.Decision;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;

import java.util.UUID;

/**
 * The run that follows a closing run without the workflow asking for it: the next attempt when the run failed or
 * timed out and its retry policy allows another, else the next cron run. The successor is created in the same
 * transition as the close, with the first run's input.
 */
public final class RunChains {

    /** What follows the closing run: the retry decision, and the successor if there is one. */
    public record Next(RetryState retryState, Mutation successor, RunSpec spec) {

        public String newRunId() {
            return successor == null ? "" : successor.state.runId();
        }

        /** Writes the successor's first transition, after the closing run's close event and close. */
        public void begin() {
            if (successor != null) {
                NewRuns.begin(successor, spec, m -> { });
            }
        }
    }

    private RunChains() {
    }

    /** After a failure (or timeout, with {@code failure} describing it): retry, else cron, else nothing. */
    public static Next afterFailure(Mutation m, Failure failure) {
        ExecutionState state = m.state;
        Decision retry = state.retryPolicy() == null ? Decision.stop(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET)
                : RetryPolicies.next(RetryPolicies.withDefaults(StoredProtos.parse(state.retryPolicy(), RetryPolicy.parser())),
                state.attempt(), failure, m.now, state.executionExpirationMillis());
        if (retry.retry()) {
            return successor(m, ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY, state.attempt() + 1,
                    retry.delayMillis(), failure, null, RetryState.RETRY_STATE_IN_PROGRESS);
        }
        if (!state.cronSchedule().isEmpty()) {
            return successor(m, ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE, 1,
                    CronSchedules.backoffMillis(state.cronSchedule(), m.now), failure, null, retry.state());
        }
        return new Next(retry.state(), null, null);
    }

    /** After a successful completion: the next cron run, if the workflow has a schedule. */
    public static Next afterCompletion(Mutation m, Payloads result) {
        if (m.state.cronSchedule().isEmpty()) {
            return new Next(RetryState.RETRY_STATE_UNSPECIFIED, null, null);
        }
        return successor(m, ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE, 1,
                CronSchedules.backoffMillis(m.state.cronSchedule(), m.now), null, result, RetryState.RETRY_STATE_UNSPECIFIED);
    }

    private static Next successor(Mutation m, ContinueAsNewInitiator initiator, int attempt, long backoffMillis,
                                  Failure failure, Payloads lastCompletionResult, RetryState retryState) {
        ExecutionState state = m.state;
        WorkflowExecutionStartedEventAttributes started = m.startedEvent().getWorkflowExecutionStartedEventAttributes();
        RunSpec spec = RunSpec.builder(state.workflowType(), state.taskQueue(), UUID.randomUUID().toString())
                .input(PresentFields.orNull(started.hasInput(), started.getInput()))
                .header(PresentFields.orNull(started.hasHeader(), started.getHeader()))
                .memo(StoredProtos.parse(state.memo(), Memo.parser()))
                .searchAttributes(m.searchAttributes.toNames(StoredProtos.parse(state.searchAttributes(),
                        SearchAttributes.parser())))
                .retryPolicy(StoredProtos.parse(state.retryPolicy(), RetryPolicy.parser()))
                .cronSchedule(state.cronSchedule())
                .timeouts(state.executionTimeoutMillis(), state.runTimeoutMillis(), state.workflowTaskTimeoutMillis())
                .continues(state.firstRunId(), state.runId(), initiator)
                .attempt(attempt)
                .backoffMillis(backoffMillis)
                // Retries share the chain's deadline; each cron run gets a fresh one.
                .executionExpirationMillis(initiator == ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY
                        ? state.executionExpirationMillis() : 0)
                .continuedFailure(failure)
                .lastCompletionResult(lastCompletionResult != null ? lastCompletionResult
                        : started.hasLastCompletionResult() ? started.getLastCompletionResult() : null)
                .build();
        ExecutionState next = NewRuns.state(state.namespaceId(), state.workflowId(), spec, state.parent(),
                state.closeCallback());
        next.attachCompletionCallbacks(state.completionCallbacks());
        return new Next(retryState, m.startSuccessor(next), spec);
    }

}
