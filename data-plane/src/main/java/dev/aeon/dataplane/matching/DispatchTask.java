package dev.aeon.dataplane.matching;

/**
 * Work for a worker: a workflow task or an activity task waiting on a task queue. Durable as a transfer task in
 * its workflow's shard partition until a worker starts it.
 *
 * @param shardId          the shard whose partition holds the durable row
 * @param taskId           the row's task id
 * @param scheduledEventId the workflow task's or activity's scheduled event id
 * @param queryId          set for a task kept in memory only (a query, answered by a worker without changing the
 *                         run; a Nexus request, answered to its waiting HTTP caller): its id
 */
public record DispatchTask(Kind kind, String namespaceId, String taskQueue, String workflowId, String runId,
                           long scheduledEventId, int shardId, long taskId, String queryId) {

    /** Marks, in {@code queryId}, a workflow task whose start was recorded for the poll it is handed to. */
    private static final String PRESTARTED = "prestarted:";

    /**
     * A workflow task whose start the transition that scheduled it recorded for a waiting poll ({@link
     * TaskQueues#reserve}): in memory only, it carries the key under which the started task's response waits.
     */
    public static DispatchTask prestarted(String namespaceId, String taskQueue, String workflowId, String runId,
                                          long scheduledEventId, String responseKey) {
        return new DispatchTask(Kind.WORKFLOW, namespaceId, taskQueue, workflowId, runId, scheduledEventId, 0, 0,
                PRESTARTED + responseKey);
    }

    /** Whether this task was started for its poll already ({@link #prestarted}). */
    public boolean isPrestarted() {
        return queryId != null && queryId.startsWith(PRESTARTED);
    }

    /** The key of a prestarted task's response. */
    public String prestartedKey() {
        return queryId.substring(PRESTARTED.length());
    }

    public enum Kind {
        /** Work for workers, handed out by matching. */
        WORKFLOW, ACTIVITY,
        /** A Nexus request for a handler worker: in memory, its caller waits for the answer (nexus/NexusTasks). */
        NEXUS,
        /** Work between workflows, done by the data plane itself (history's cross-workflow tasks). */
        START_CHILD, CHILD_CLOSED, PARENT_CLOSE_POLICY, SIGNAL_EXTERNAL, CANCEL_EXTERNAL,
        /**
         * A schedule's work: start the workflows its transitions decided (SCHEDULE_ACTIONS, of the scheduler run);
         * tell the schedule a workflow it started closed (CLOSE_CALLBACK, of the closed run).
         */
        SCHEDULE_ACTIONS, CLOSE_CALLBACK,
        /**
         * A Nexus operation's work: send its start request (NEXUS_START) or its cancel request (NEXUS_CANCEL), of the
         * caller's run; tell the callers of a workflow-run operation that its workflow closed (NEXUS_COMPLETION, of
         * the closed run).
         */
        NEXUS_START, NEXUS_CANCEL, NEXUS_COMPLETION,
        /** Bring the run's visibility record (what list and count queries see) up to its current state. */
        VISIBILITY;

        public boolean forWorkers() {
            return this == WORKFLOW || this == ACTIVITY || this == NEXUS;
        }
    }
}
