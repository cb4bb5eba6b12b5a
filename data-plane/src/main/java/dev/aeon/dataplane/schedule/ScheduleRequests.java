package dev.aeon.dataplane.schedule;

import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.schedule.spec.InvalidScheduleSpecException;
import dev.aeon.dataplane.visibility.SearchAttributeValidator;
import dev.aeon.dataplane.visibility.query.QueryAst;
import dev.aeon.dataplane.visibility.query.QueryParser;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * What Temporal's frontend checks of schedule requests, in its order and words (all INVALID_ARGUMENT): ids and
 * request ids, the spec (which it stores canonical), the action's start, the search attributes, notes; and which
 * attributes a schedule list may filter on.
 */
final class ScheduleRequests {

    private static final int MAX_ID_LENGTH = 1000;
    private static final int MAX_NOTES_LENGTH = 1000;
    /** What Temporal appends to the action's workflow id when it checks its length: a nominal time. */
    private static final String SAMPLE_TIME_SUFFIX = "-2009-11-10T23:00:00Z";

    private ScheduleRequests() {
    }

    /** A CreateSchedule's schedule, checked, with its policies defaulted and its spec canonical. */
    static Schedule checkCreate(Namespace namespace, CreateScheduleRequest request) {
        workflowId(Scheduler.WORKFLOW_ID_PREFIX + request.getScheduleId());
        if (request.getRequestId().isEmpty()) {
            throw ApiErrors.invalidArgument("RequestId is not set on request.");
        }
        requestId(request.getRequestId());
        Schedule schedule = canonical(request.getSchedule());
        searchAttributes(namespace, request.getSearchAttributes());
        action(namespace, schedule);
        if (request.hasInitialPatch()) {
            notes(request.getInitialPatch());
        }
        return schedule;
    }

    static Schedule checkUpdate(Namespace namespace, UpdateScheduleRequest request) {
        Schedule schedule = canonical(request.getSchedule());
        action(namespace, schedule);
        if (request.hasSearchAttributes()) {
            searchAttributes(namespace, request.getSearchAttributes());
        }
        requestId(request.getRequestId());
        return schedule;
    }

    static void checkPatch(PatchScheduleRequest request) {
        requestId(request.getRequestId());
        notes(request.getPatch());
        for (var backfill : request.getPatch().getBackfillRequestList()) {
            if (!backfill.hasStartTime() || !backfill.hasEndTime()) {
                throw ApiErrors.invalidArgument("backfill_request needs start_time and end_time.");
            }
        }
    }

    private static Schedule canonical(Schedule schedule) {
        try {
            return Scheduler.withDefaults(schedule);
        } catch (InvalidScheduleSpecException e) {
            throw e.toApiError();
        }
    }

    /** Temporal's {@code validateStartWorkflowArgsForSchedule}; a schedule without an action is accepted, as there. */
    private static void action(Namespace namespace, Schedule schedule) {
        if (!schedule.getAction().hasStartWorkflow()) {
            return;
        }
        NewWorkflowExecutionInfo start = schedule.getAction().getStartWorkflow();
        workflowId(start.getWorkflowId() + SAMPLE_TIME_SUFFIX);
        if (start.getWorkflowType().getName().isEmpty()) {
            throw ApiErrors.invalidArgument("WorkflowType is not set on request.");
        }
        if (start.getWorkflowType().getName().length() > MAX_ID_LENGTH) {
            throw ApiErrors.invalidArgument("WorkflowType length exceeds limit.");
        }
        if (!start.hasTaskQueue()) {
            throw ApiErrors.invalidArgument("taskQueue is not set");
        }
        String queue = start.getTaskQueue().getName();
        if (queue.isEmpty()) {
            throw ApiErrors.invalidArgument("missing task queue name");
        }
        if (queue.length() > MAX_ID_LENGTH) {
            throw ApiErrors.invalidArgument("taskQueue length exceeds limit");
        }
        if (queue.startsWith("/_sys/")) {
            throw ApiErrors.invalidArgument("task queue name cannot start with reserved prefix /_sys/");
        }
        if (queue.equals(Scheduler.TASK_QUEUE)) {
            throw ApiErrors.invalidArgument("cannot use internal per-namespace task queue: " + queue);
        }
        timeout("WorkflowExecution", start.getWorkflowExecutionTimeout());
        timeout("WorkflowRun", start.getWorkflowRunTimeout());
        timeout("WorkflowTask", start.getWorkflowTaskTimeout());
        if (!start.getCronSchedule().isEmpty()) {
            throw ApiErrors.invalidArgument("Scheduled workflow must not contain CronSchedule");
        }
        if (start.getWorkflowIdReusePolicy() != WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED
                && start.getWorkflowIdReusePolicy() != WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE) {
            throw ApiErrors.invalidArgument("Scheduled workflow must not contain WorkflowIDReusePolicy");
        }
        searchAttributes(namespace, start.getSearchAttributes());
    }

    private static void timeout(String name, com.google.protobuf.Duration value) {
        if (value.getSeconds() < 0 || value.getNanos() < 0 || !Durations.isValid(value)) {
            throw ApiErrors.invalidArgument("An invalid " + name + "TimeoutSeconds is set on request. cause: "
                    + "negative duration");
        }
    }

    private static void workflowId(String workflowId) {
        if (workflowId.length() > MAX_ID_LENGTH) {
            throw ApiErrors.invalidArgument("WorkflowId length exceeds limit.");
        }
    }

    private static void requestId(String requestId) {
        if (requestId.length() > MAX_ID_LENGTH) {
            throw ApiErrors.invalidArgument("RequestId length exceeds limit.");
        }
    }

    private static void notes(io.temporal.api.schedule.v1.SchedulePatch patch) {
        if (patch.getPause().length() > MAX_NOTES_LENGTH || patch.getUnpause().length() > MAX_NOTES_LENGTH) {
            throw ApiErrors.invalidArgument("Schedule notes exceeds length limit: " + MAX_NOTES_LENGTH);
        }
    }

    private static void searchAttributes(Namespace namespace, SearchAttributes attributes) {
        if (attributes.getIndexedFieldsCount() > 0) {
            SearchAttributeValidator.validate(attributes, namespace.name(), namespace.searchAttributeTypes());
            SearchAttributeValidator.validateSize(attributes);
        }
    }

    /**
     * The visibility query for a schedule list: {@code base}, and the tenant's query, which may filter on the
     * namespace's own attributes and {@code TemporalSchedulePaused} only (Temporal's {@code ValidateVisibilityQuery}).
     */
    static String scheduleQuery(Namespace namespace, String query, String base) {
        if (query == null || query.isBlank()) {
            return base;
        }
        List<String> columns = new ArrayList<>();
        QueryAst.Statement statement = QueryParser.parse(query);
        if (statement.where() != null) {
            columns(statement.where(), columns);
        }
        statement.orderBy().forEach(order -> columns.add(order.column()));
        columns.addAll(statement.groupBy());
        for (String written : columns) {
            String column = written.replace("`", "");
            if (!column.equals(ScheduleTransitions.PAUSED_ATTRIBUTE)
                    && !namespace.searchAttributeTypes().containsKey(column)) {
                throw ApiErrors.invalidArgument("invalid query filter for schedules: cannot filter on \"" + column + "\"");
            }
        }
        return base + " AND (" + query + ")";
    }

    private static void columns(QueryAst.Expr expr, List<String> into) {
        if (expr instanceof QueryAst.And and) {
            columns(and.left(), into);
            columns(and.right(), into);
        } else if (expr instanceof QueryAst.Or or) {
            columns(or.left(), into);
            columns(or.right(), into);
        } else if (expr instanceof QueryAst.Not not) {
            columns(not.expr(), into);
        } else if (expr instanceof QueryAst.Comparison comparison) {
            into.add(comparison.column());
            if (comparison.value() instanceof QueryAst.ColumnValue other) {
                into.add(other.name());
            }
        } else if (expr instanceof QueryAst.Between between) {
            into.add(between.column());
        } else if (expr instanceof QueryAst.Is is) {
            into.add(is.column());
        } else if (expr instanceof QueryAst.BareColumn bare) {
            into.add(bare.column());
        }
    }
}
