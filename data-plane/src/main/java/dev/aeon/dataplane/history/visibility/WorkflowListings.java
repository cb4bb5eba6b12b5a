package dev.aeon.dataplane.history.visibility;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.visibility.VisibilityConfig;
import dev.aeon.dataplane.visibility.VisibilityResponses;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ScanWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ScanWorkflowExecutionsResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Temporal's list, scan and count of a namespace's workflows, read from the visibility store. The legacy
 * ListOpen/ListClosed RPCs are turned into the query Temporal's frontend builds for them, so every listing goes
 * through the one query language and its checks. Queries block on the store: they run on this service's own
 * threads, never the engine's, so a slow count cannot hold up workflows.
 */
@ApplicationScoped
public class WorkflowListings {

    private final VisibilityStore store;
    private final ExecutorService executor;

    public WorkflowListings(VisibilityStore store, VisibilityConfig config) {
        this.store = store;
        this.executor = Executors.newFixedThreadPool(config.postgres().maxPoolSize(), runnable -> {
            Thread thread = new Thread(runnable, "aeon-visibility-query");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Where the calls of this service run. */
    public ExecutorService executor() {
        return executor;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public ListWorkflowExecutionsResponse list(Namespace namespace, ListWorkflowExecutionsRequest request) {
        return page(namespace, request.getQuery(), request.getPageSize(), request.getNextPageToken().toByteArray());
    }

    public ScanWorkflowExecutionsResponse scan(Namespace namespace, ScanWorkflowExecutionsRequest request) {
        ListWorkflowExecutionsResponse page = VisibilityResponses.list(store.scan(listRequest(namespace,
                        request.getQuery(), request.getPageSize(), request.getNextPageToken().toByteArray())),
                namespace.customSearchAttributes());
        return ScanWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.getExecutionsList())
                .setNextPageToken(page.getNextPageToken()).build();
    }

    public CountWorkflowExecutionsResponse count(Namespace namespace, CountWorkflowExecutionsRequest request) {
        return VisibilityResponses.count(store.count(new VisibilityStore.CountRequest(namespace.id(),
                request.getQuery(), namespace.customSearchAttributes())));
    }

    /** Running workflows, by start time, workflow id or type: the query Temporal's frontend builds. */
    public ListOpenWorkflowExecutionsResponse listOpen(Namespace namespace, ListOpenWorkflowExecutionsRequest request) {
        List<String> terms = new ArrayList<>();
        terms.add("ExecutionStatus = 'Running'");
        timeRange(terms, "StartTime", request.hasStartTimeFilter() ? request.getStartTimeFilter() : null);
        if (request.hasExecutionFilter()) {
            terms.add("WorkflowId = " + quoted(request.getExecutionFilter().getWorkflowId()));
        } else if (request.hasTypeFilter()) {
            terms.add("WorkflowType = " + quoted(request.getTypeFilter().getName()));
        }
        ListWorkflowExecutionsResponse page = page(namespace, String.join(" AND ", terms),
                request.getMaximumPageSize(), request.getNextPageToken().toByteArray());
        return ListOpenWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.getExecutionsList())
                .setNextPageToken(page.getNextPageToken()).build();
    }

    /** Closed workflows, by close time (the filter is named for start time, as in Temporal), id, type or status. */
    public ListClosedWorkflowExecutionsResponse listClosed(Namespace namespace,
                                                           ListClosedWorkflowExecutionsRequest request) {
        List<String> terms = new ArrayList<>();
        terms.add("ExecutionStatus != 'Running'");
        timeRange(terms, "CloseTime", request.hasStartTimeFilter() ? request.getStartTimeFilter() : null);
        if (request.hasExecutionFilter()) {
            terms.add("WorkflowId = " + quoted(request.getExecutionFilter().getWorkflowId()));
        } else if (request.hasTypeFilter()) {
            terms.add("WorkflowType = " + quoted(request.getTypeFilter().getName()));
        } else if (request.hasStatusFilter()) {
            WorkflowExecutionStatus status = request.getStatusFilter().getStatus();
            if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
                    || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                    || status == WorkflowExecutionStatus.UNRECOGNIZED) {
                throw ApiErrors.invalidArgument("StatusFilter must be specified and must be not Running.");
            }
            terms.add("ExecutionStatus = " + status.getNumber());
        }
        ListWorkflowExecutionsResponse page = page(namespace, String.join(" AND ", terms),
                request.getMaximumPageSize(), request.getNextPageToken().toByteArray());
        return ListClosedWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.getExecutionsList())
                .setNextPageToken(page.getNextPageToken()).build();
    }

    private ListWorkflowExecutionsResponse page(Namespace namespace, String query, int pageSize, byte[] pageToken) {
        return VisibilityResponses.list(store.list(listRequest(namespace, query, pageSize, pageToken)),
                namespace.customSearchAttributes());
    }

    private static VisibilityStore.ListRequest listRequest(Namespace namespace, String query, int pageSize,
                                                           byte[] pageToken) {
        return new VisibilityStore.ListRequest(namespace.id(), query, namespace.customSearchAttributes(), pageSize,
                pageToken);
    }

    /** A bound left unset (or zero) is open, as Temporal reads the filter. */
    private static void timeRange(List<String> terms, String attribute, StartTimeFilter filter) {
        Instant earliest = filter != null && filter.hasEarliestTime()
                ? instant("start_time_filter.earliest_time", filter.getEarliestTime()) : null;
        Instant latest = filter != null && filter.hasLatestTime()
                ? instant("start_time_filter.latest_time", filter.getLatestTime()) : null;
        if (earliest != null && latest != null) {
            if (earliest.isAfter(latest)) {
                throw ApiErrors.invalidArgument("EarliestTime in StartTimeFilter should not be larger than LatestTime.");
            }
            terms.add(attribute + " BETWEEN '" + earliest + "' AND '" + latest + "'");
        } else if (earliest != null) {
            terms.add(attribute + " >= '" + earliest + "'");
        } else if (latest != null) {
            terms.add(attribute + " <= '" + latest + "'");
        }
    }

    private static Instant instant(String field, Timestamp timestamp) {
        if (!Timestamps.isValid(timestamp)) {
            throw ApiErrors.invalidArgument(field + ": must be a valid timestamp (years 1 to 9999, nanos 0 to "
                    + "999,999,999)");
        }
        Instant instant = Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
        return instant.equals(Instant.EPOCH) ? null : instant;
    }

    /** A string literal of the query language: quotes and backslashes escaped, so a filter's value stays a value. */
    static String quoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
