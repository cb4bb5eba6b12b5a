package dev.aeon.dataplane.schedule;

import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.HistoryEngine.Creation;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.run.WorkflowLifecycle;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.visibility.WorkflowListings;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.schedule.spec.InvalidScheduleSpecException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.schedule.v1.BackfillRequest;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleListEntry;
import io.temporal.api.schedule.v1.SchedulePatch;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountSchedulesRequest;
import io.temporal.api.workflowservice.v1.CountSchedulesResponse;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.CreateScheduleResponse;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesResponse;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * Temporal's Schedules API. A schedule is a run of its own in the engine, as in Temporal: workflow id
 * {@code temporal-sys-scheduler:<schedule id>}, in the namespace division {@code TemporalScheduler} (so workflow
 * lists leave it out and schedule lists find it), its state ({@link ScheduleState}) in the run's state, its next
 * time a durable timer, each decision a transition of that run (committed under the shard's fence like any other),
 * and each start carried out after the commit by a task of the run ({@link ScheduleTasks}). Nothing of it is a
 * thread, and nothing is lost or done twice when a node dies between any two of these steps.
 *
 * <p>Requests change the schedule as transitions of its run, with the signal event Temporal's scheduler workflow
 * would receive; they answer once committed.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // made at start-up: it serves its half of work other nodes ask of this one
public class Schedules {

    /** Request ids of updates and patches kept to answer a retry without applying it twice. */
    private static final int REMEMBERED_REQUESTS = 100;
    private static final String LIST_QUERY = ScheduleTransitions.DIVISION_ATTRIBUTE + " = '"
            + ScheduleTransitions.NAMESPACE_DIVISION + "' AND ExecutionStatus = 'Running'";

    private final HistoryEngine engine;
    private final WorkflowLifecycle lifecycle;
    private final WorkflowListings listings;

    private final dev.aeon.dataplane.history.engine.OwnerCalls owners;

    public Schedules(HistoryEngine engine, WorkflowLifecycle lifecycle, WorkflowListings listings,
                     dev.aeon.dataplane.history.engine.OwnerCalls owners,
                     dev.aeon.dataplane.namespace.NamespaceRegistry namespaces) {
        this.engine = engine;
        this.lifecycle = lifecycle;
        this.listings = listings;
        this.owners = owners;
        // A schedule is its scheduler run: what reads or changes it runs on the node that owns that run's shard.
        owners.serve("schedules.create", in -> createHere(namespaces.namespace(in.string()),
                in.proto(CreateScheduleRequest.parser())).toByteArray());
        owners.serve("schedules.describe", in -> describeHere(namespaces.namespace(in.string()),
                in.proto(DescribeScheduleRequest.parser())).toByteArray());
        owners.serve("schedules.update", in -> {
            updateHere(namespaces.namespace(in.string()), in.proto(UpdateScheduleRequest.parser()));
            return null;
        });
        owners.serve("schedules.patch", in -> {
            patchHere(namespaces.namespace(in.string()), in.proto(PatchScheduleRequest.parser()));
            return null;
        });
        owners.serve("schedules.matchingTimes", in -> matchingTimesHere(namespaces.namespace(in.string()),
                in.proto(ListScheduleMatchingTimesRequest.parser())).toByteArray());
        owners.serve("schedules.entry", in -> entryHere(namespaces.namespace(in.string()),
                in.proto(WorkflowExecutionInfo.parser())).map(ScheduleListEntry::toByteArray).orElse(new byte[0]));
    }

    /** {@code local} here when this node owns the schedule's run, else operation {@code name} on its owner. */
    private <T> T onOwner(Namespace namespace, String scheduleId, String name, com.google.protobuf.MessageLite request,
                          com.google.protobuf.Parser<T> answer, java.util.function.Supplier<T> local) {
        Optional<dev.aeon.dataplane.cluster.PeerMessage.Reader> remote = owners.onOwner(namespace.id(),
                Scheduler.WORKFLOW_ID_PREFIX + scheduleId, name,
                () -> dev.aeon.dataplane.cluster.PeerMessage.write().string(namespace.name()).proto(request).done());
        return remote.isPresent() ? parse(remote.get().rest(), answer) : local.get();
    }

    private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser == null ? null : parser.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("malformed answer from the owning node", e);
        }
    }

    public CreateScheduleResponse create(Namespace namespace, CreateScheduleRequest request) {
        return onOwner(namespace, request.getScheduleId(), "schedules.create", request,
                CreateScheduleResponse.parser(), () -> createHere(namespace, request));
    }

    private CreateScheduleResponse createHere(Namespace namespace, CreateScheduleRequest request) {
        Schedule schedule = ScheduleRequests.checkCreate(namespace, request);
        String workflowId = Scheduler.WORKFLOW_ID_PREFIX + request.getScheduleId();
        SearchAttributes.Builder attributes = request.getSearchAttributes().toBuilder()
                .putIndexedFields(ScheduleTransitions.DIVISION_ATTRIBUTE,
                        ScheduleTransitions.keyword(ScheduleTransitions.NAMESPACE_DIVISION))
                .putIndexedFields(ScheduleTransitions.PAUSED_ATTRIBUTE,
                        ScheduleTransitions.bool(schedule.getState().getPaused()));
        CreateScheduleResponse created = CreateScheduleResponse.newBuilder().setConflictToken(ScheduleState.token(1)).build();
        return engine.create(namespace.id(), workflowId, current -> {
            if (current.isPresent() && HistoryEngine.isRunning(current.get().status())) {
                if (current.get().startRequestId().equals(request.getRequestId())) {
                    return Creation.answer(created); // the same request again
                }
                throw ApiErrors.workflowAlreadyStarted("schedule \"" + request.getScheduleId()
                        + "\" is already registered", "", "");
            }
            ExecutionState run = ExecutionState.builder()
                    .namespaceId(namespace.id())
                    .workflowId(workflowId)
                    .runId(java.util.UUID.randomUUID().toString())
                    .workflowType(Scheduler.WORKFLOW_TYPE)
                    .taskQueue(Scheduler.TASK_QUEUE)
                    .startRequestId(request.getRequestId())
                    .memo(request.hasMemo() && request.getMemo().getFieldsCount() > 0
                            ? request.getMemo().toByteArray() : null)
                    .schedule(Scheduler.created(schedule, System.currentTimeMillis()).encode())
                    .build();
            return Creation.start(run, m -> begin(m, request, attributes.build()), created);
        });
    }

    /** The scheduler run's first transition: its started event, then the schedule's first decisions. */
    private static void begin(Mutation m, CreateScheduleRequest request, SearchAttributes attributes) {
        m.state.recordStart(m.now, 0);
        m.state.keepSearchAttributes(m.searchAttributes.toFields(attributes));
        m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, e -> {
            var started = e.getWorkflowExecutionStartedEventAttributesBuilder()
                    .setWorkflowType(WorkflowType.newBuilder().setName(Scheduler.WORKFLOW_TYPE))
                    .setTaskQueue(TaskQueue.newBuilder().setName(Scheduler.TASK_QUEUE).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                    .setIdentity(request.getIdentity())
                    .setOriginalExecutionRunId(m.state.runId())
                    .setFirstExecutionRunId(m.state.runId())
                    .setAttempt(1)
                    .setWorkflowId(m.state.workflowId())
                    .setSearchAttributes(attributes);
            if (request.hasMemo()) {
                started.setMemo(request.getMemo());
            }
        });
        ScheduleTransitions.apply(m, request.getScheduleId(), scheduler -> {
            scheduler.state().createTimeMillis = m.now;
            scheduler.state().decidedUntilMillis = m.now;
            if (request.hasInitialPatch()) {
                patch(scheduler, request.getInitialPatch(), m.now);
            }
            scheduler.advance(m.now);
        });
    }

    public DescribeScheduleResponse describe(Namespace namespace, DescribeScheduleRequest request) {
        return onOwner(namespace, request.getScheduleId(), "schedules.describe", request,
                DescribeScheduleResponse.parser(), () -> describeHere(namespace, request));
    }

    private DescribeScheduleResponse describeHere(Namespace namespace, DescribeScheduleRequest request) {
        String workflowId = Scheduler.WORKFLOW_ID_PREFIX + request.getScheduleId();
        return engine.inspect(namespace.id(), workflowId, currentRun(namespace, request.getScheduleId()), run -> {
            if (run.schedule() == null || !run.isRunning()) {
                throw ApiErrors.notFound("schedule not found");
            }
            Scheduler scheduler = new Scheduler(ScheduleState.decode(run.schedule()), namespace.id(),
                    request.getScheduleId(), run.runId());
            return ScheduleViews.describe(scheduler, run, namespace);
        });
    }

    public void update(Namespace namespace, UpdateScheduleRequest request) {
        onOwner(namespace, request.getScheduleId(), "schedules.update", request, null, () -> {
            updateHere(namespace, request);
            return null;
        });
    }

    private void updateHere(Namespace namespace, UpdateScheduleRequest request) {
        Schedule schedule = ScheduleRequests.checkUpdate(namespace, request);
        change(namespace, request.getScheduleId(), "update", request.getIdentity(), request.getRequestId(), m -> {
            ScheduleState state = ScheduleState.decode(m.state.schedule());
            // Temporal: a token shorter than 8 bytes, or 0, updates unconditionally
            long token = request.getConflictToken().size() >= Long.BYTES
                    ? ByteBuffer.wrap(request.getConflictToken().toByteArray()).getLong() : 0;
            if (token != 0 && token != state.conflictToken) {
                throw Status.FAILED_PRECONDITION.withDescription("mismatched conflict token").asRuntimeException();
            }
            return scheduler -> scheduler.update(schedule, m.now);
        }, m -> {
            if (request.hasSearchAttributes()) {
                // replaced whole: the schedule's own attributes are the request's (none if it has none)
                SearchAttributes.Builder replaced = request.getSearchAttributes().toBuilder();
                SearchAttributes kept = dev.aeon.dataplane.history.state.StoredProtos.parse(m.state.searchAttributes(),
                        SearchAttributes.parser());
                for (String own : new String[] {ScheduleTransitions.DIVISION_ATTRIBUTE,
                        ScheduleTransitions.PAUSED_ATTRIBUTE}) {
                    if (kept != null && kept.containsIndexedFields(own)) {
                        replaced.putIndexedFields(own, kept.getIndexedFieldsOrThrow(own));
                    }
                }
                m.state.keepSearchAttributes(m.searchAttributes.toFields(replaced.build()));
                m.append(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
                        e -> e.getUpsertWorkflowSearchAttributesEventAttributesBuilder()
                                .setSearchAttributes(request.getSearchAttributes()));
            }
            if (request.hasMemo()) {
                m.state.keepMemo(request.getMemo());
                m.append(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
                        e -> e.getWorkflowPropertiesModifiedEventAttributesBuilder().setUpsertedMemo(request.getMemo()));
            }
        });
    }

    public void patch(Namespace namespace, PatchScheduleRequest request) {
        onOwner(namespace, request.getScheduleId(), "schedules.patch", request, null, () -> {
            patchHere(namespace, request);
            return null;
        });
    }

    private void patchHere(Namespace namespace, PatchScheduleRequest request) {
        ScheduleRequests.checkPatch(request);
        change(namespace, request.getScheduleId(), "patch", request.getIdentity(), request.getRequestId(),
                m -> scheduler -> patch(scheduler, request.getPatch(), m.now), m -> { });
    }

    /** Temporal's order: trigger, backfills, pause, unpause. */
    private static void patch(Scheduler scheduler, SchedulePatch patch, long now) {
        if (patch.hasTriggerImmediately()) {
            var trigger = patch.getTriggerImmediately();
            long at = trigger.hasScheduledTime() ? Timestamps.toMillis(trigger.getScheduledTime()) : now;
            scheduler.trigger(at, trigger.getOverlapPolicy(), now);
        }
        for (BackfillRequest backfill : patch.getBackfillRequestList()) {
            scheduler.backfill(Timestamps.toMillis(backfill.getStartTime()), Timestamps.toMillis(backfill.getEndTime()),
                    backfill.getOverlapPolicy(), now);
        }
        if (!patch.getPause().isEmpty()) {
            scheduler.pause(patch.getPause(), now);
        }
        if (!patch.getUnpause().isEmpty()) {
            scheduler.unpause(patch.getUnpause(), now);
        }
    }

    /**
     * A tenant's change of a running schedule, as one transition: the signal event Temporal's scheduler would
     * receive, {@code decide}'s change of the schedule, then {@code andThen} (attributes, memo).
     */
    private void change(Namespace namespace, String scheduleId, String signal, String identity, String requestId,
                        java.util.function.Function<Mutation, java.util.function.Consumer<Scheduler>> decide,
                        java.util.function.Consumer<Mutation> andThen) {
        String workflowId = Scheduler.WORKFLOW_ID_PREFIX + scheduleId;
        engine.update(namespace.id(), workflowId, currentRun(namespace, scheduleId), m -> {
            if (m.state.schedule() == null || !m.state.isRunning()) {
                throw ApiErrors.notFound("workflow execution already completed");
            }
            if (!requestId.isEmpty() && !m.state.recordSignalRequest(requestId, REMEMBERED_REQUESTS)) {
                return null; // the same request again (a client's retry): applied once, as Temporal's signal dedup
            }
            var change = decide.apply(m);
            m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, e -> e
                    .getWorkflowExecutionSignaledEventAttributesBuilder().setSignalName(signal).setIdentity(identity));
            ScheduleTransitions.apply(m, scheduleId, change);
            andThen.accept(m);
            return null;
        });
    }

    /** Ends the scheduler run, as Temporal's DeleteSchedule terminates it; the workflows it started go on. */
    public void delete(Namespace namespace, DeleteScheduleRequest request) {
        String runId = currentRun(namespace, request.getScheduleId());
        lifecycle.terminate(namespace.id(), TerminateWorkflowExecutionRequest.newBuilder()
                .setWorkflowExecution(WorkflowExecution.newBuilder()
                        .setWorkflowId(Scheduler.WORKFLOW_ID_PREFIX + request.getScheduleId()).setRunId(runId))
                .setReason("terminated by DeleteSchedule").setIdentity(request.getIdentity()).build());
    }

    public ListScheduleMatchingTimesResponse matchingTimes(Namespace namespace, ListScheduleMatchingTimesRequest request) {
        return onOwner(namespace, request.getScheduleId(), "schedules.matchingTimes", request,
                ListScheduleMatchingTimesResponse.parser(), () -> matchingTimesHere(namespace, request));
    }

    private ListScheduleMatchingTimesResponse matchingTimesHere(Namespace namespace,
                                                                ListScheduleMatchingTimesRequest request) {
        String workflowId = Scheduler.WORKFLOW_ID_PREFIX + request.getScheduleId();
        String runId = currentRun(namespace, request.getScheduleId());
        if (!request.hasStartTime() || !request.hasEndTime()) {
            throw ApiErrors.invalidArgument("missing or invalid query");
        }
        return engine.inspect(namespace.id(), workflowId, runId, run -> {
            if (run.schedule() == null || !run.isRunning()) {
                throw ApiErrors.notFound("schedule not found");
            }
            Scheduler scheduler = new Scheduler(ScheduleState.decode(run.schedule()), namespace.id(),
                    request.getScheduleId(), run.runId());
            ListScheduleMatchingTimesResponse.Builder times = ListScheduleMatchingTimesResponse.newBuilder();
            try {
                scheduler.spec().matchingTimes(scheduler.jitterSeed(), instant(request.getStartTime()),
                        instant(request.getEndTime())).forEach(t -> times.addStartTime(Timestamps.fromMillis(t.toEpochMilli())));
            } catch (InvalidScheduleSpecException e) {
                throw ApiErrors.invalidArgument("invalid schedule: " + e.getMessage());
            }
            return times.build();
        });
    }

    /** The schedules of a namespace: its scheduler runs that are running, as visibility lists them. */
    public ListSchedulesResponse list(Namespace namespace, ListSchedulesRequest request) {
        String query = ScheduleRequests.scheduleQuery(namespace, request.getQuery(), LIST_QUERY);
        ListWorkflowExecutionsResponse page = listings.list(namespace, ListWorkflowExecutionsRequest.newBuilder()
                .setQuery(query).setPageSize(request.getMaximumPageSize())
                .setNextPageToken(request.getNextPageToken()).build());
        ListSchedulesResponse.Builder schedules = ListSchedulesResponse.newBuilder()
                .setNextPageToken(page.getNextPageToken());
        for (WorkflowExecutionInfo execution : page.getExecutionsList()) {
            entry(namespace, execution).ifPresent(schedules::addSchedules);
        }
        return schedules.build();
    }

    public CountSchedulesResponse count(Namespace namespace, CountSchedulesRequest request) {
        String query = ScheduleRequests.scheduleQuery(namespace, request.getQuery(), LIST_QUERY);
        CountWorkflowExecutionsResponse counted = listings.count(namespace,
                CountWorkflowExecutionsRequest.newBuilder().setQuery(query).build());
        CountSchedulesResponse.Builder response = CountSchedulesResponse.newBuilder().setCount(counted.getCount());
        counted.getGroupsList().forEach(group -> response.addGroups(CountSchedulesResponse.AggregationGroup.newBuilder()
                .addAllGroupValues(group.getGroupValuesList()).setCount(group.getCount())));
        return response.build();
    }

    /**
     * One listed schedule, with what it shows now (its state is read, not a copy kept in its memo as Temporal
     * keeps one, so the list never lags). A schedule deleted since the listing is left out.
     */
    private Optional<ScheduleListEntry> entry(Namespace namespace, WorkflowExecutionInfo execution) {
        String workflowId = execution.getExecution().getWorkflowId();
        if (!workflowId.startsWith(Scheduler.WORKFLOW_ID_PREFIX)) {
            return Optional.empty();
        }
        return owners.onOwner(namespace.id(), workflowId, "schedules.entry",
                        () -> dev.aeon.dataplane.cluster.PeerMessage.write().string(namespace.name()).proto(execution)
                                .done())
                .map(reply -> {
                    byte[] bytes = reply.rest();
                    return bytes.length == 0 ? Optional.<ScheduleListEntry>empty()
                            : Optional.of(parse(bytes, ScheduleListEntry.parser()));
                })
                .orElseGet(() -> entryHere(namespace, execution));
    }

    private Optional<ScheduleListEntry> entryHere(Namespace namespace, WorkflowExecutionInfo execution) {
        String workflowId = execution.getExecution().getWorkflowId();
        String scheduleId = ScheduleTransitions.scheduleId(workflowId);
        try {
            return engine.inspect(namespace.id(), workflowId, execution.getExecution().getRunId(), run -> {
                if (run.schedule() == null || !run.isRunning()) {
                    return Optional.empty();
                }
                Scheduler scheduler = new Scheduler(ScheduleState.decode(run.schedule()), namespace.id(), scheduleId,
                        run.runId());
                return Optional.of(ScheduleViews.listEntry(scheduleId, scheduler, run, namespace));
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The schedule's scheduler run, or NOT_FOUND in Temporal's words for an id never used. */
    private String currentRun(Namespace namespace, String scheduleId) {
        String workflowId = Scheduler.WORKFLOW_ID_PREFIX + scheduleId;
        try {
            return engine.resolveRunId(namespace.id(), workflowId, "");
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw ApiErrors.notFound("workflow not found for ID: " + workflowId);
            }
            throw e;
        }
    }

    private static Instant instant(com.google.protobuf.Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
