package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.state.ExecutionState;
import com.google.protobuf.ByteString;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GetWorkflowExecutionHistory: pages of a run's events, and the long poll clients use to wait for new events or
 * for the close event (how SDK clients wait for a workflow's result).
 */
@ApplicationScoped
public class HistoryReads {

    /** Temporal's default page size. */
    static final int DEFAULT_PAGE_SIZE = 1000;

    private final HistoryEngine engine;

    public HistoryReads(HistoryEngine engine) {
        this.engine = engine;
    }

    /**
     * Answers now, or, with {@code wait_new_event}, when there is something new or {@code maxWait} passed
     * (then with no events and a page token to poll again with).
     */
    public CompletableFuture<GetWorkflowExecutionHistoryResponse> history(String namespaceId,
                                                                          GetWorkflowExecutionHistoryRequest request,
                                                                          Duration maxWait) {
        String workflowId = request.getExecution().getWorkflowId();
        long deadline = System.nanoTime() + maxWait.toNanos();
        return CompletableFuture.supplyAsync(() -> {
            String runId = engine.resolveRunId(namespaceId, workflowId, request.getExecution().getRunId());
            return attempt(namespaceId, workflowId, runId, request, deadline);
        }, engine.executor()).thenCompose(r -> r);
    }

    private CompletableFuture<GetWorkflowExecutionHistoryResponse> attempt(
            String namespaceId, String workflowId, String runId, GetWorkflowExecutionHistoryRequest request,
            long deadline) {
        // The few fields a page needs, read under the run's lock: this runs on every commit a long poll waits for.
        HistoryEngine.Watched<RunView> watched = request.getWaitNewEvent()
                ? engine.watch(namespaceId, workflowId, runId, RunView::of)
                : new HistoryEngine.Watched<>(engine.inspect(namespaceId, workflowId, runId, RunView::of), null);
        CompletableFuture<Void> change = watched.nextChange();
        RunView run = watched.view();
        GetWorkflowExecutionHistoryResponse page = page(run, request);
        long remaining = deadline - System.nanoTime();
        String successor = followedRun(request, page);
        if (successor != null && remaining > 0) {
            // Asked for the workflow's result, not a run's: a retry or the next cron run carries on the chain.
            if (change != null) {
                engine.forgetWaiter(runId, change);
            }
            return attempt(namespaceId, workflowId, successor, request, deadline);
        }
        if (change == null || page.getHistory().getEventsCount() > 0 || !run.running() || remaining <= 0) {
            if (change != null) {
                engine.forgetWaiter(runId, change);
            }
            return CompletableFuture.completedFuture(page);
        }
        return change.orTimeout(remaining, TimeUnit.NANOSECONDS)
                .handleAsync((ignored, error) -> {
                    if (error instanceof TimeoutException || (error != null && error.getCause() instanceof TimeoutException)) {
                        engine.forgetWaiter(runId, change);
                        return CompletableFuture.completedFuture(page);
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    if (cause instanceof io.grpc.StatusRuntimeException moved) {
                        return CompletableFuture.<GetWorkflowExecutionHistoryResponse>failedFuture(moved);
                    }
                    return attempt(namespaceId, workflowId, runId, request, deadline);
                }, engine.executor())
                .thenCompose(r -> r);
    }

    /**
     * The run that continues a result long poll made without a run id: the successor named by a completed, failed
     * or timed-out close event (retry, cron). SDKs follow continue-as-new themselves.
     */
    private static String followedRun(GetWorkflowExecutionHistoryRequest request, GetWorkflowExecutionHistoryResponse page) {
        if (!request.getExecution().getRunId().isEmpty() || !request.getWaitNewEvent()
                || request.getHistoryEventFilterType() != HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT
                || page.getHistory().getEventsCount() == 0) {
            return null;
        }
        HistoryEvent close = page.getHistory().getEvents(0);
        String next = switch (close.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> close.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId();
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> close.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId();
            case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> close.getWorkflowExecutionTimedOutEventAttributes().getNewExecutionRunId();
            default -> "";
        };
        return next.isEmpty() ? null : next;
    }

    /** The run's events newest first, a page at a time (what UIs use to show the latest events first). */
    public GetWorkflowExecutionHistoryReverseResponse reverse(String namespaceId,
                                                              GetWorkflowExecutionHistoryReverseRequest request) {
        String workflowId = request.getExecution().getWorkflowId();
        String runId = engine.resolveRunId(namespaceId, workflowId, request.getExecution().getRunId());
        RunView run = engine.inspect(namespaceId, workflowId, runId, RunView::of);
        long newest = request.getNextPageToken().isEmpty() ? run.nextEventId() - 1 : eventId(request.getNextPageToken());
        int pageSize = request.getMaximumPageSize() > 0 ? request.getMaximumPageSize() : DEFAULT_PAGE_SIZE;
        long oldest = Math.max(1, newest - pageSize + 1);
        List<HistoryEvent> events = new java.util.ArrayList<>(newest < 1 ? List.of() : run.events(engine, oldest, newest + 1));
        java.util.Collections.reverse(events);
        GetWorkflowExecutionHistoryReverseResponse.Builder response = GetWorkflowExecutionHistoryReverseResponse.newBuilder()
                .setHistory(History.newBuilder().addAllEvents(events));
        if (oldest > 1) {
            response.setNextPageToken(token(oldest - 1));
        }
        return response.build();
    }

    /** What a page of history needs of its run. */
    private record RunView(String runId, boolean running, long nextEventId, long historyTxnId) {

        static RunView of(ExecutionState state) {
            return new RunView(state.runId(), state.isRunning(), state.nextEventId(), state.historyTxnId());
        }

        List<HistoryEvent> events(HistoryEngine engine, long fromEventId, long toEventIdExclusive) {
            return engine.events(runId, historyTxnId, fromEventId, toEventIdExclusive);
        }
    }

    private GetWorkflowExecutionHistoryResponse page(RunView run, GetWorkflowExecutionHistoryRequest request) {
        long lastEventId = run.nextEventId() - 1;
        if (request.getHistoryEventFilterType() == HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT) {
            if (run.running()) {
                // `history` is always set, empty here, as Temporal's server sets it: the Go SDK reads
                // response.History.Events without a nil check and panics on a response without it.
                return GetWorkflowExecutionHistoryResponse.newBuilder()
                        .setHistory(History.getDefaultInstance())
                        .setNextPageToken(request.getNextPageToken().isEmpty() ? token(1) : request.getNextPageToken())
                        .build();
            }
            return GetWorkflowExecutionHistoryResponse.newBuilder()
                    .setHistory(History.newBuilder().addAllEvents(run.events(engine, lastEventId, lastEventId + 1)))
                    .build();
        }
        long from = request.getNextPageToken().isEmpty() ? 1 : eventId(request.getNextPageToken());
        int pageSize = request.getMaximumPageSize() > 0 ? request.getMaximumPageSize() : DEFAULT_PAGE_SIZE;
        long to = Math.min(lastEventId + 1, from + pageSize);
        List<HistoryEvent> events = from > lastEventId ? List.of() : run.events(engine, from, to);
        GetWorkflowExecutionHistoryResponse.Builder response = GetWorkflowExecutionHistoryResponse.newBuilder()
                .setHistory(History.newBuilder().addAllEvents(events));
        if (to <= lastEventId || (request.getWaitNewEvent() && run.running())) {
            response.setNextPageToken(token(to));
        }
        return response.build();
    }

    private static ByteString token(long nextEventId) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(nextEventId).array());
    }

    private static long eventId(ByteString token) {
        if (token.size() != 8) {
            throw dev.aeon.dataplane.errors.ApiErrors.invalidArgument("next_page_token: malformed");
        }
        return token.asReadOnlyByteBuffer().getLong();
    }
}
