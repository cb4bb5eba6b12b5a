package dev.aeon.dataplane.sdk;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import io.temporal.worker.Worker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the workflows a client starts and replays their closed runs through the SDK's replayer, following the
 * runs they lead to (children, continue-as-new, retries, cron) as long as the worker knows their task queue.
 * Runs still open when the test ends are not replayed: their histories are not final; nor are runs the server ended
 * (terminated, timed out).
 */
final class ReplayCheck {

    private final List<WorkflowExecution> started = new CopyOnWriteArrayList<>();

    WorkflowClientInterceptorBase recorder() {
        return new WorkflowClientInterceptorBase() {
            @Override
            public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
                return new WorkflowClientCallsInterceptorBase(next) {
                    @Override
                    public WorkflowStartOutput start(WorkflowStartInput input) {
                        WorkflowStartOutput output = super.start(input);
                        started.add(output.getWorkflowExecution());
                        return output;
                    }

                    @Override
                    public WorkflowSignalWithStartOutput signalWithStart(WorkflowSignalWithStartInput input) {
                        WorkflowSignalWithStartOutput output = super.signalWithStart(input);
                        started.add(output.getWorkflowStartOutput().getWorkflowExecution());
                        return output;
                    }
                };
            }
        };
    }

    /** A workflow started otherwise than by the client (a schedule's), replayed with the rest. */
    void add(WorkflowExecution execution) {
        started.add(execution);
    }

    void replayAll(WorkflowClient client, Worker worker) {
        if (worker == null) {
            return;
        }
        Deque<WorkflowExecution> runs = new ArrayDeque<>(started);
        Set<String> seen = new HashSet<>();
        while (!runs.isEmpty()) {
            WorkflowExecution run = runs.poll();
            if (!seen.add(run.getWorkflowId() + "/" + run.getRunId())) {
                continue;
            }
            WorkflowExecutionHistory history;
            try {
                history = client.fetchHistory(run.getWorkflowId(), run.getRunId());
            } catch (RuntimeException e) {
                continue; // deleted by the test, or gone with its retention
            }
            List<HistoryEvent> events = history.getHistory().getEventsList();
            if (events.isEmpty() || !closedByTheWorkflow(events.get(events.size() - 1))) {
                continue;
            }
            String taskQueue = events.get(0).getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName();
            for (HistoryEvent event : events) {
                follow(run.getWorkflowId(), event, runs);
            }
            if (!taskQueue.equals(worker.getTaskQueue())) {
                continue;
            }
            try {
                worker.replayWorkflowExecution(history);
            } catch (Exception e) {
                throw new AssertionError("the history of " + run.getWorkflowId() + "/" + run.getRunId()
                        + " does not replay in the Java SDK's replayer: " + e, e);
            }
        }
    }

    private static void follow(String workflowId, HistoryEvent event, Deque<WorkflowExecution> runs) {
        String next = switch (event.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ->
                    event.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ->
                    event.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId();
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> event.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId();
            case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT ->
                    event.getWorkflowExecutionTimedOutEventAttributes().getNewExecutionRunId();
            default -> "";
        };
        if (!next.isEmpty()) {
            runs.add(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(next).build());
        }
        if (event.hasChildWorkflowExecutionStartedEventAttributes()) {
            runs.add(event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution());
        }
    }

    /**
     * Runs the workflow code ended with its own command. A terminated or timed-out run was cut off by the server
     * mid-flight; the Java SDK's replayer does not take such histories (it fails at the terminate event), so they
     * prove nothing either way.
     */
    private static boolean closedByTheWorkflow(HistoryEvent event) {
        return switch (event.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                 EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> true;
            default -> false;
        };
    }
}
