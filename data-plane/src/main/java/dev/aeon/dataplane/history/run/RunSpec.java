package dev.aeon.dataplane.history.run;

import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.failure.v1.Failure;

/**
 * Everything a new run is started with. Built by name ({@link #builder}): most starts set a few of these, and a
 * message field left out stays absent (null), as the started event must show it.
 *
 * @param firstRunId         the chain's first run, null for a first run
 * @param continuedFromRunId the run this one continues (continue-as-new, retry, cron), null for a first run
 * @param backoffMillis      the wait before the first workflow task (start delay, cron, retry backoff)
 * @param executionExpirationMillis when the whole chain must end, 0 to count it from this run's start
 */
record RunSpec(String workflowType, String taskQueue, Payloads input, Header header, Memo memo,
                      SearchAttributes searchAttributes, RetryPolicy retryPolicy, String cronSchedule,
                      long executionTimeoutMillis, long runTimeoutMillis, long taskTimeoutMillis, String identity,
                      String requestId, String firstRunId, String continuedFromRunId, ContinueAsNewInitiator initiator,
                      int attempt, long backoffMillis, long executionExpirationMillis, Failure continuedFailure,
                      Payloads lastCompletionResult) {

    public static Builder builder(String workflowType, String taskQueue, String requestId) {
        return new Builder(workflowType, taskQueue, requestId);
    }

    /** This spec, with what the run before it left (a schedule's client passes them on): null for none. */
    RunSpec carrying(Failure continuedFailure, Payloads lastCompletionResult) {
        return new RunSpec(workflowType, taskQueue, input, header, memo, searchAttributes, retryPolicy, cronSchedule,
                executionTimeoutMillis, runTimeoutMillis, taskTimeoutMillis, identity, requestId, firstRunId,
                continuedFromRunId, initiator, attempt, backoffMillis, executionExpirationMillis, continuedFailure,
                lastCompletionResult);
    }

    /** Named setters for the optional parts; what is not set is absent, zero or, for the attempt, 1. */
    public static final class Builder {
        private final String workflowType;
        private final String taskQueue;
        private final String requestId;
        private Payloads input;
        private Header header;
        private Memo memo;
        private SearchAttributes searchAttributes;
        private RetryPolicy retryPolicy;
        private String cronSchedule = "";
        private long executionTimeoutMillis;
        private long runTimeoutMillis;
        private long taskTimeoutMillis;
        private String identity = "";
        private String firstRunId;
        private String continuedFromRunId;
        private ContinueAsNewInitiator initiator = ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED;
        private int attempt = 1;
        private long backoffMillis;
        private long executionExpirationMillis;
        private Failure continuedFailure;
        private Payloads lastCompletionResult;

        private Builder(String workflowType, String taskQueue, String requestId) {
            this.workflowType = workflowType;
            this.taskQueue = taskQueue;
            this.requestId = requestId;
        }

        public Builder input(Payloads input) {
            this.input = input;
            return this;
        }

        public Builder header(Header header) {
            this.header = header;
            return this;
        }

        public Builder memo(Memo memo) {
            this.memo = memo;
            return this;
        }

        public Builder searchAttributes(SearchAttributes searchAttributes) {
            this.searchAttributes = searchAttributes;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        public Builder cronSchedule(String cronSchedule) {
            this.cronSchedule = cronSchedule;
            return this;
        }

        public Builder timeouts(long executionTimeoutMillis, long runTimeoutMillis, long taskTimeoutMillis) {
            this.executionTimeoutMillis = executionTimeoutMillis;
            this.runTimeoutMillis = runTimeoutMillis;
            this.taskTimeoutMillis = taskTimeoutMillis;
            return this;
        }

        public Builder identity(String identity) {
            this.identity = identity;
            return this;
        }

        /** This run follows {@code continuedFromRunId} in the chain that began with {@code firstRunId}. */
        public Builder continues(String firstRunId, String continuedFromRunId, ContinueAsNewInitiator initiator) {
            this.firstRunId = firstRunId;
            this.continuedFromRunId = continuedFromRunId;
            this.initiator = initiator;
            return this;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder backoffMillis(long backoffMillis) {
            this.backoffMillis = backoffMillis;
            return this;
        }

        public Builder executionExpirationMillis(long executionExpirationMillis) {
            this.executionExpirationMillis = executionExpirationMillis;
            return this;
        }

        public Builder continuedFailure(Failure continuedFailure) {
            this.continuedFailure = continuedFailure;
            return this;
        }

        public Builder lastCompletionResult(Payloads lastCompletionResult) {
            this.lastCompletionResult = lastCompletionResult;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(workflowType, taskQueue, input, header, memo, searchAttributes, retryPolicy, cronSchedule,
                    executionTimeoutMillis, runTimeoutMillis, taskTimeoutMillis, identity, requestId, firstRunId,
                    continuedFromRunId, initiator, attempt, backoffMillis, executionExpirationMillis, continuedFailure,
                    lastCompletionResult);
        }
    }
}
