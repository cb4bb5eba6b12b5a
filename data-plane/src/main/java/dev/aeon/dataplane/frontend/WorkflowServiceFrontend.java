package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.schedule.Schedules;
import io.temporal.api.workflowservice.v1.CountSchedulesRequest;
import io.temporal.api.workflowservice.v1.CountSchedulesResponse;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.CreateScheduleResponse;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleResponse;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesResponse;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesResponse;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleResponse;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;
import io.temporal.api.workflowservice.v1.UpdateScheduleResponse;

import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.auth.Principal;
import dev.aeon.dataplane.auth.AuthInterceptor;
import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.history.engine.HistoryConfig;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.reset.WorkflowResets;
import dev.aeon.dataplane.history.run.HistoryReads;
import dev.aeon.dataplane.history.query.Queries;
import dev.aeon.dataplane.history.update.Updates;
import dev.aeon.dataplane.history.run.WorkflowLifecycle;
import dev.aeon.dataplane.history.engine.TaskToken;
import dev.aeon.dataplane.history.run.WorkflowStarts;
import dev.aeon.dataplane.history.visibility.WorkflowListings;
import dev.aeon.dataplane.history.command.WorkflowTaskCompletion;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import dev.aeon.dataplane.matching.TaskQueueDescriptions;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.*;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Temporal's {@code WorkflowService} as SDK workers and clients see it on port 7233. A thin edge: each RPC
 * resolves its namespace and hands over to the service that owns the behaviour, on the engine's threads (gRPC's
 * event loop never waits on Cassandra). RPCs not overridden here answer UNIMPLEMENTED. Served through
 * {@link WorkflowServiceEndpoint} (so a bean only of this type: Quarkus would serve any gRPC service bean itself).
 * Over 400 lines only because it has one short method for each of the ~40 RPCs Aeon serves.
 */
@jakarta.inject.Singleton
@jakarta.enterprise.inject.Typed(WorkflowServiceFrontend.class)
public class WorkflowServiceFrontend extends WorkflowServiceGrpc.WorkflowServiceImplBase {

    private static final Logger LOG = Logger.getLogger(WorkflowServiceFrontend.class);
    /** Answer a long poll this much before the caller's deadline, so the empty answer still reaches it. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);
    /** How long before the caller's deadline a call that cannot wait longer is answered DEADLINE_EXCEEDED. */
    private static final Duration DEADLINE_EDGE = Duration.ofMillis(50);

    private final NamespaceRegistry namespaces;
    private final WorkflowStarts starts;
    private final WorkflowTasks workflowTasks;
    private final WorkflowTaskCompletion completions;
    private final Activities activities;
    private final HistoryReads historyReads;
    private final WorkflowLifecycle lifecycle;
    private final Queries queries;
    private final Updates updates;
    private final WorkflowResets resets;
    private final WorkflowListings listings;
    private final Schedules schedules;
    private final ExecutorService executor;
    private final Duration longPollTimeout;
    @jakarta.inject.Inject
    PollStarters pollStarters;
    @jakarta.inject.Inject
    ClusterPolls clusterPolls;

    public WorkflowServiceFrontend(NamespaceRegistry namespaces, WorkflowStarts starts, WorkflowTasks workflowTasks, WorkflowTaskCompletion completions,
                                   Activities activities, HistoryReads historyReads, WorkflowLifecycle lifecycle,
                                   Queries queries, Updates updates, WorkflowResets resets,
                                   WorkflowListings listings, HistoryEngine engine, HistoryConfig config,
                                   Schedules schedules) {
        this.listings = listings;
        this.schedules = schedules;
        this.updates = updates;
        this.resets = resets;
        this.namespaces = namespaces;
        this.starts = starts;
        this.workflowTasks = workflowTasks;
        this.completions = completions;
        this.activities = activities;
        this.historyReads = historyReads;
        this.lifecycle = lifecycle;
        this.queries = queries;
        this.executor = engine.executor();
        this.longPollTimeout = config.longPollTimeout();
    }

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
        response.onNext(SystemInfo.RESPONSE);
        response.onCompleted();
    }

    /**
     * The attributes every namespace has (system and predefined), as Temporal's SQL visibility answers this
     * cluster-wide call; a namespace's custom ones are OperatorService {@code ListSearchAttributes}'.
     */
    @Override
    public void getSearchAttributes(GetSearchAttributesRequest request,
                                    StreamObserver<GetSearchAttributesResponse> response) {
        response.onNext(GetSearchAttributesResponse.newBuilder()
                .putAllKeys(dev.aeon.dataplane.namespace.NamespaceSearchAttributes.system()).build());
        response.onCompleted();
    }

    // --- namespaces

    @Override
    public void registerNamespace(RegisterNamespaceRequest request, StreamObserver<RegisterNamespaceResponse> response) {
        run(response, () -> {
            namespaces.register(request);
            return RegisterNamespaceResponse.getDefaultInstance();
        });
    }

    @Override
    public void describeNamespace(DescribeNamespaceRequest request, StreamObserver<DescribeNamespaceResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get();
        run(response, () -> {
            if (request.getId().isEmpty()) {
                return namespaces.byName(request.getNamespace());
            }
            // The caller was authorized for the namespace it named (field or header), not for the id: an id
            // resolves only to a namespace the caller can see, another tenant's is answered as a missing one.
            DescribeNamespaceResponse found = namespaces.byId(request.getId());
            if (caller != null && caller.permissionOn(found.getNamespaceInfo().getName()).isEmpty()) {
                throw ApiErrors.namespaceNotFound(request.getId());
            }
            return found;
        });
    }

    @Override
    public void listNamespaces(ListNamespacesRequest request, StreamObserver<ListNamespacesResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get(); // read here: the gRPC context does not follow us to the executor
        run(response, () -> ListNamespacesResponse.newBuilder().addAllNamespaces(namespaces.all().stream()
                .filter(ns -> caller == null || caller.permissionOn(ns.getNamespaceInfo().getName()).isPresent())
                .toList()).build());
    }

    @Override
    public void updateNamespace(UpdateNamespaceRequest request, StreamObserver<UpdateNamespaceResponse> response) {
        run(response, () -> {
            DescribeNamespaceResponse updated = namespaces.update(request);
            return UpdateNamespaceResponse.newBuilder()
                    .setNamespaceInfo(updated.getNamespaceInfo())
                    .setConfig(updated.getConfig())
                    .setReplicationConfig(updated.getReplicationConfig())
                    .setIsGlobalNamespace(updated.getIsGlobalNamespace())
                    .build();
        });
    }

    // --- workflows

    @Override
    public void startWorkflowExecution(StartWorkflowExecutionRequest request,
                                       StreamObserver<StartWorkflowExecutionResponse> response) {
        run(response, () -> starts.start(namespaceId(request.getNamespace()), request));
    }

    @Override
    public void signalWithStartWorkflowExecution(SignalWithStartWorkflowExecutionRequest request,
                                                 StreamObserver<SignalWithStartWorkflowExecutionResponse> response) {
        run(response, () -> starts.signalWithStart(namespaceId(request.getNamespace()), request));
    }

    @Override
    public void getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest request,
                                            StreamObserver<GetWorkflowExecutionHistoryResponse> response) {
        Duration wait = longPollWait();
        // A caller whose deadline leaves no room for an empty answer would get one at once and ask again at once,
        // in a loop, until its deadline. Temporal's server holds such a call to its deadline and answers
        // DEADLINE_EXCEEDED; so do we, just before it, so the status (not a reset stream) reaches the caller.
        Duration lastWait = request.getWaitNewEvent() && wait.isZero() ? timeToDeadline().minus(DEADLINE_EDGE) : null;
        CompletableFuture.supplyAsync(() -> {
                    RequestChecks.execution(request.hasExecution(), request.getExecution());
                    return namespaceId(request.getNamespace());
                }, executor)
                .thenCompose(namespaceId -> historyReads.history(namespaceId, request, lastWait != null ? lastWait : wait))
                .whenComplete((result, error) -> {
                    if (error == null && lastWait != null && result.getHistory().getEventsCount() == 0) {
                        reply(response, null, io.grpc.Status.DEADLINE_EXCEEDED
                                .withDescription("the caller's deadline passed before a new event").asRuntimeException());
                    } else {
                        reply(response, result, error);
                    }
                });
    }

    @Override
    public void signalWorkflowExecution(SignalWorkflowExecutionRequest request,
                                        StreamObserver<SignalWorkflowExecutionResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasWorkflowExecution(), request.getWorkflowExecution());
            lifecycle.signal(namespaceId(request.getNamespace()), request);
            return SignalWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest request,
                                               StreamObserver<RequestCancelWorkflowExecutionResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasWorkflowExecution(), request.getWorkflowExecution());
            lifecycle.requestCancel(namespaceId(request.getNamespace()), request);
            return RequestCancelWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void terminateWorkflowExecution(TerminateWorkflowExecutionRequest request,
                                           StreamObserver<TerminateWorkflowExecutionResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasWorkflowExecution(), request.getWorkflowExecution());
            lifecycle.terminate(namespaceId(request.getNamespace()), request);
            return TerminateWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void resetWorkflowExecution(io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest request,
                                       StreamObserver<io.temporal.api.workflowservice.v1.ResetWorkflowExecutionResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasWorkflowExecution(), request.getWorkflowExecution());
            return resets.reset(namespaceId(request.getNamespace()), request);
        });
    }

    @Override
    public void deleteWorkflowExecution(DeleteWorkflowExecutionRequest request,
                                        StreamObserver<DeleteWorkflowExecutionResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasWorkflowExecution(), request.getWorkflowExecution());
            lifecycle.delete(namespaceId(request.getNamespace()), request.getWorkflowExecution());
            return DeleteWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void describeWorkflowExecution(DescribeWorkflowExecutionRequest request,
                                          StreamObserver<DescribeWorkflowExecutionResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasExecution(), request.getExecution());
            Namespace namespace = namespace(request.getNamespace());
            DescribeWorkflowExecutionResponse described = lifecycle.describe(namespace.id(), request.getExecution());
            // The run keeps values by field; the caller sees them under the names they have now.
            DescribeWorkflowExecutionResponse.Builder named = described.toBuilder();
            named.getWorkflowExecutionInfoBuilder().setSearchAttributes(namespace.customSearchAttributes()
                    .toNames(described.getWorkflowExecutionInfo().getSearchAttributes()));
            return named.build();
        });
    }

    @Override
    public void queryWorkflow(QueryWorkflowRequest request, StreamObserver<QueryWorkflowResponse> response) {
        Duration wait = longPollWait();
        CompletableFuture.supplyAsync(() -> {
                    RequestChecks.execution(request.hasExecution(), request.getExecution());
                    return namespaceId(request.getNamespace());
                }, executor)
                .thenComposeAsync(namespaceId -> queries.query(namespaceId, request, wait), executor)
                .whenComplete((result, error) -> reply(response, result, error));
    }

    @Override
    public void updateWorkflowExecution(UpdateWorkflowExecutionRequest request,
                                        StreamObserver<UpdateWorkflowExecutionResponse> response) {
        Duration wait = longPollWait();
        CompletableFuture<Void> gone = callerGone(response);
        CompletableFuture.supplyAsync(() -> {
                    RequestChecks.execution(request.hasWorkflowExecution(), request.getWorkflowExecution());
                    return namespaceId(request.getNamespace());
                }, executor)
                .thenComposeAsync(namespaceId -> updates.update(namespaceId, request, wait, gone), executor)
                .whenComplete((result, error) -> reply(response, result, error));
    }

    @Override
    public void executeMultiOperation(ExecuteMultiOperationRequest request,
                                      StreamObserver<ExecuteMultiOperationResponse> response) {
        Duration wait = longPollWait();
        CompletableFuture<Void> gone = callerGone(response);
        CompletableFuture.supplyAsync(() -> namespaceId(request.getNamespace()), executor)
                .thenComposeAsync(namespaceId -> updates.updateWithStart(namespaceId, request, wait, gone), executor)
                .whenComplete((result, error) -> reply(response, result, error));
    }

    @Override
    public void pollWorkflowExecutionUpdate(PollWorkflowExecutionUpdateRequest request,
                                            StreamObserver<PollWorkflowExecutionUpdateResponse> response) {
        Duration wait = longPollWait();
        CompletableFuture<Void> gone = callerGone(response);
        CompletableFuture.supplyAsync(() -> {
                    RequestChecks.runId(request.getUpdateRef().getWorkflowExecution().getRunId());
                    return namespaceId(request.getNamespace());
                }, executor)
                .thenComposeAsync(namespaceId -> updates.poll(namespaceId, request, wait, gone), executor)
                .whenComplete((result, error) -> reply(response, result, error));
    }

    @Override
    public void respondQueryTaskCompleted(RespondQueryTaskCompletedRequest request,
                                          StreamObserver<RespondQueryTaskCompletedResponse> response) {
        run(response, () -> {
            namespaceId(request.getNamespace());
            if (!Queries.isQueryToken(request.getTaskToken())) {
                throw ApiErrors.invalidArgument("task_token: not a query task token");
            }
            queries.answer(request);
            return RespondQueryTaskCompletedResponse.getDefaultInstance();
        });
    }

    @Override
    public void getWorkflowExecutionHistoryReverse(GetWorkflowExecutionHistoryReverseRequest request,
                                                   StreamObserver<GetWorkflowExecutionHistoryReverseResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasExecution(), request.getExecution());
            return historyReads.reverse(namespaceId(request.getNamespace()), request);
        });
    }

    // --- visibility: lists and counts of workflows, on the listing service's own threads

    @Override
    public void listWorkflowExecutions(ListWorkflowExecutionsRequest request,
                                       StreamObserver<ListWorkflowExecutionsResponse> response) {
        list(response, request.getNamespace(), namespace -> listings.list(namespace, request));
    }

    @Override
    public void scanWorkflowExecutions(ScanWorkflowExecutionsRequest request,
                                       StreamObserver<ScanWorkflowExecutionsResponse> response) {
        list(response, request.getNamespace(), namespace -> listings.scan(namespace, request));
    }

    @Override
    public void countWorkflowExecutions(CountWorkflowExecutionsRequest request,
                                        StreamObserver<CountWorkflowExecutionsResponse> response) {
        list(response, request.getNamespace(), namespace -> listings.count(namespace, request));
    }

    @Override
    public void listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest request,
                                           StreamObserver<ListOpenWorkflowExecutionsResponse> response) {
        list(response, request.getNamespace(), namespace -> listings.listOpen(namespace, request));
    }

    @Override
    public void listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest request,
                                             StreamObserver<ListClosedWorkflowExecutionsResponse> response) {
        list(response, request.getNamespace(), namespace -> listings.listClosed(namespace, request));
    }

    private <T> void list(StreamObserver<T> response, String namespace, Function<Namespace, T> work) {
        CompletableFuture.supplyAsync(() -> work.apply(namespace(namespace)), listings.executor()).whenComplete((result, error) -> reply(response, result, error));
    }

    // --- schedules (the Schedules lifecycle; lists and counts on the listing threads)

    @Override
    public void createSchedule(CreateScheduleRequest request, StreamObserver<CreateScheduleResponse> response) {
        run(response, () -> schedules.create(namespace(request.getNamespace()), request));
    }

    @Override
    public void describeSchedule(DescribeScheduleRequest request, StreamObserver<DescribeScheduleResponse> response) {
        run(response, () -> schedules.describe(namespace(request.getNamespace()), request));
    }

    @Override
    public void updateSchedule(UpdateScheduleRequest request, StreamObserver<UpdateScheduleResponse> response) {
        run(response, () -> {
            schedules.update(namespace(request.getNamespace()), request);
            return UpdateScheduleResponse.getDefaultInstance();
        });
    }

    @Override
    public void patchSchedule(PatchScheduleRequest request, StreamObserver<PatchScheduleResponse> response) {
        run(response, () -> {
            schedules.patch(namespace(request.getNamespace()), request);
            return PatchScheduleResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteSchedule(DeleteScheduleRequest request, StreamObserver<DeleteScheduleResponse> response) {
        run(response, () -> {
            schedules.delete(namespace(request.getNamespace()), request);
            return DeleteScheduleResponse.getDefaultInstance();
        });
    }

    @Override
    public void listScheduleMatchingTimes(ListScheduleMatchingTimesRequest request,
                                          StreamObserver<ListScheduleMatchingTimesResponse> response) {
        run(response, () -> schedules.matchingTimes(namespace(request.getNamespace()), request));
    }

    @Override
    public void listSchedules(ListSchedulesRequest request, StreamObserver<ListSchedulesResponse> response) {
        list(response, request.getNamespace(), namespace -> schedules.list(namespace, request));
    }

    @Override
    public void countSchedules(CountSchedulesRequest request, StreamObserver<CountSchedulesResponse> response) {
        list(response, request.getNamespace(), namespace -> schedules.count(namespace, request));
    }

    // --- workflow tasks

    @Override
    public void pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest request,
                                      StreamObserver<PollWorkflowTaskQueueResponse> response) {
        poll(response, request.getNamespace(), pollStarters.workflow(request));
    }

    @Override
    public void respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest request,
                                             StreamObserver<RespondWorkflowTaskCompletedResponse> response) {
        run(response, () -> {
            checkToken(request.getNamespace(), request.getTaskToken());
            return completions.complete(request);
        });
    }

    @Override
    public void respondWorkflowTaskFailed(RespondWorkflowTaskFailedRequest request,
                                          StreamObserver<RespondWorkflowTaskFailedResponse> response) {
        run(response, () -> {
            checkToken(request.getNamespace(), request.getTaskToken());
            completions.fail(request);
            return RespondWorkflowTaskFailedResponse.getDefaultInstance();
        });
    }

    @Override
    public void resetStickyTaskQueue(ResetStickyTaskQueueRequest request,
                                     StreamObserver<ResetStickyTaskQueueResponse> response) {
        run(response, () -> {
            RequestChecks.execution(request.hasExecution(), request.getExecution());
            workflowTasks.resetSticky(namespaceId(request.getNamespace()), request.getExecution().getWorkflowId(),
                    request.getExecution().getRunId());
            return ResetStickyTaskQueueResponse.getDefaultInstance();
        });
    }

    // --- activity tasks

    @Override
    public void pollActivityTaskQueue(PollActivityTaskQueueRequest request,
                                      StreamObserver<PollActivityTaskQueueResponse> response) {
        poll(response, request.getNamespace(), pollStarters.activity(request));
    }

    @Override
    public void respondActivityTaskCompleted(RespondActivityTaskCompletedRequest request,
                                             StreamObserver<RespondActivityTaskCompletedResponse> response) {
        run(response, () -> {
            activities.complete(checkToken(request.getNamespace(), request.getTaskToken()),
                    request.hasResult() ? request.getResult() : null,
                    request.getIdentity());
            return RespondActivityTaskCompletedResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondActivityTaskFailed(RespondActivityTaskFailedRequest request,
                                          StreamObserver<RespondActivityTaskFailedResponse> response) {
        run(response, () -> {
            activities.fail(checkToken(request.getNamespace(), request.getTaskToken()), request.getFailure(),
                    request.getLastHeartbeatDetails(), request.getIdentity());
            return RespondActivityTaskFailedResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondActivityTaskCanceled(RespondActivityTaskCanceledRequest request,
                                            StreamObserver<RespondActivityTaskCanceledResponse> response) {
        run(response, () -> {
            activities.canceled(checkToken(request.getNamespace(), request.getTaskToken()),
                    request.hasDetails() ? request.getDetails() : null,
                    request.getIdentity());
            return RespondActivityTaskCanceledResponse.getDefaultInstance();
        });
    }

    @Override
    public void recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest request,
                                            StreamObserver<RecordActivityTaskHeartbeatResponse> response) {
        run(response, () -> {
            TaskToken token = checkToken(request.getNamespace(), request.getTaskToken());
            boolean cancel = activities.heartbeat(Activities.Target.of(token), request.getDetails());
            return RecordActivityTaskHeartbeatResponse.newBuilder().setCancelRequested(cancel).build();
        });
    }

    @Override
    public void recordActivityTaskHeartbeatById(RecordActivityTaskHeartbeatByIdRequest request,
                                                StreamObserver<RecordActivityTaskHeartbeatByIdResponse> response) {
        run(response, () -> {
            boolean cancel = activities.heartbeat(byId(request.getNamespace(), request.getWorkflowId(),
                    request.getRunId(), request.getActivityId()), request.getDetails());
            return RecordActivityTaskHeartbeatByIdResponse.newBuilder().setCancelRequested(cancel).build();
        });
    }

    @Override
    public void respondActivityTaskCompletedById(RespondActivityTaskCompletedByIdRequest request,
                                                 StreamObserver<RespondActivityTaskCompletedByIdResponse> response) {
        run(response, () -> {
            activities.complete(byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(),
                    request.getActivityId()), request.hasResult() ? request.getResult() : null, request.getIdentity());
            return RespondActivityTaskCompletedByIdResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondActivityTaskFailedById(RespondActivityTaskFailedByIdRequest request,
                                              StreamObserver<RespondActivityTaskFailedByIdResponse> response) {
        run(response, () -> {
            activities.fail(byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(),
                    request.getActivityId()), request.getFailure(), request.getLastHeartbeatDetails(),
                    request.getIdentity());
            return RespondActivityTaskFailedByIdResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondActivityTaskCanceledById(RespondActivityTaskCanceledByIdRequest request,
                                                StreamObserver<RespondActivityTaskCanceledByIdResponse> response) {
        run(response, () -> {
            activities.canceled(byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(),
                    request.getActivityId()), request.hasDetails() ? request.getDetails() : null, request.getIdentity());
            return RespondActivityTaskCanceledByIdResponse.getDefaultInstance();
        });
    }

    // --- plumbing

    private Activities.Target byId(String namespace, String workflowId, String runId, String activityId) {
        if (workflowId.isEmpty() || activityId.isEmpty()) {
            throw ApiErrors.invalidArgument("workflow_id and activity_id are required");
        }
        return Activities.Target.byId(namespaceId(namespace), workflowId, runId, activityId);
    }

    private String namespaceId(String namespace) {
        return namespace(namespace).id();
    }

    private Namespace namespace(String name) {
        if (name.isEmpty()) {
            throw ApiErrors.invalidArgument("namespace is not set on request.");
        }
        return namespaces.namespace(name);
    }

    /** A task token is only good in the namespace that issued it. */
    private TaskToken checkToken(String namespace, com.google.protobuf.ByteString encoded) {
        TaskToken token = TaskToken.decode(encoded);
        if (!token.namespaceId().equals(namespaceId(namespace))) {
            throw ApiErrors.invalidArgument("task_token: issued for another namespace");
        }
        return token;
    }

    /**
     * A worker's long poll: wait for a task on the queue (on every node: {@link ClusterPolls}), record its start,
     * answer. A task that turns out stale is skipped and the poll goes on; a caller that went away gives its task
     * back to the queue.
     */
    private <T extends com.google.protobuf.Message> void poll(StreamObserver<T> response, String namespace,
                                                              PollStarters.Spec<T> spec) {
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) response;
        AtomicReference<ClusterPolls.Round<T>> waiting = new AtomicReference<>();
        call.setOnCancelHandler(() -> {
            ClusterPolls.Round<T> round = waiting.get();
            if (round != null) {
                round.cancel();
            }
        });
        long deadline = System.nanoTime() + longPollWait().toNanos();
        CompletableFuture.supplyAsync(() -> {
                    Validation.requireId("task_queue.name", spec.taskQueue());
                    return namespaceId(namespace);
                }, executor)
                .whenComplete((namespaceId, error) -> {
                    if (error != null) {
                        reply(response, null, error);
                    } else {
                        awaitTask(call, namespaceId, spec, deadline, waiting);
                    }
                });
    }

    private <T extends com.google.protobuf.Message> void awaitTask(ServerCallStreamObserver<T> call, String namespaceId,
                                                                   PollStarters.Spec<T> spec, long deadline,
                                                                   AtomicReference<ClusterPolls.Round<T>> waiting) {
        long remaining = deadline - System.nanoTime();
        if (call.isCancelled()) {
            return;
        }
        if (remaining <= 0) {
            reply(call, spec.empty(), null);
            return;
        }
        ClusterPolls.Round<T> round = clusterPolls.poll(namespaceId, spec, Duration.ofNanos(remaining));
        waiting.set(round);
        if (call.isCancelled()) {
            round.cancel();
        }
        round.outcome().whenCompleteAsync((outcome, error) -> {
            if (error != null) {
                reply(call, null, error);
            } else if (outcome.response() != null) {
                reply(call, outcome.response(), null);
            } else if (outcome.ended()) {
                reply(call, spec.empty(), null);
            } else {
                awaitTask(call, namespaceId, spec, deadline, waiting);
            }
        }, executor);
    }

    /** Completes when the caller cancels the call or its deadline passes, so nothing waits on its behalf. */
    private static CompletableFuture<Void> callerGone(StreamObserver<?> response) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        ((ServerCallStreamObserver<?>) response).setOnCancelHandler(() -> gone.complete(null));
        return gone;
    }

    /** The time left before the caller's deadline, zero without one. */
    private static Duration timeToDeadline() {
        Deadline deadline = Context.current().getDeadline();
        return deadline == null ? Duration.ZERO : Duration.ofMillis(Math.max(0, deadline.timeRemaining(TimeUnit.MILLISECONDS)));
    }

    /** How long a long poll may wait: the configured maximum, cut short by the caller's deadline. */
    private Duration longPollWait() {
        Deadline deadline = Context.current().getDeadline();
        if (deadline == null) {
            return longPollTimeout;
        }
        long millis = deadline.timeRemaining(TimeUnit.MILLISECONDS) - DEADLINE_MARGIN.toMillis();
        return Duration.ofMillis(Math.max(0, Math.min(millis, longPollTimeout.toMillis())));
    }

    private <T> void run(StreamObserver<T> response, Supplier<T> work) {
        CompletableFuture.supplyAsync(work, executor).whenComplete((result, error) -> reply(response, result, error));
    }

    /** Answers the call, unless its caller is gone; an error that is no gRPC status is INTERNAL, logged here. */
    static <T> void reply(StreamObserver<T> response, T result, Throwable error) {
        if (response instanceof ServerCallStreamObserver<T> call && call.isCancelled()) {
            return;
        }
        if (error == null) {
            response.onNext(result);
            response.onCompleted();
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof StatusRuntimeException status) {
            response.onError(status);
        } else {
            LOG.error("request failed", cause);
            response.onError(ApiErrors.internal("internal error; see the data plane's log"));
        }
    }

    // --- Nexus tasks (the handler side: requests from nexus/NexusHttpEntry, in memory like queries)
    // Injected into a field, as the task-queue section below, to keep this section to itself.

    @jakarta.inject.Inject
    dev.aeon.dataplane.nexus.NexusTasks nexusTasks;

    @Override
    public void pollNexusTaskQueue(PollNexusTaskQueueRequest request,
                                   StreamObserver<PollNexusTaskQueueResponse> response) {
        poll(response, request.getNamespace(), pollStarters.nexus(request));
    }

    @Override
    public void respondNexusTaskCompleted(RespondNexusTaskCompletedRequest request,
                                          StreamObserver<RespondNexusTaskCompletedResponse> response) {
        run(response, () -> {
            nexusTasks.complete(namespaceId(request.getNamespace()), request.getTaskToken(), request.getResponse());
            return RespondNexusTaskCompletedResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondNexusTaskFailed(RespondNexusTaskFailedRequest request,
                                       StreamObserver<RespondNexusTaskFailedResponse> response) {
        run(response, () -> {
            nexusTasks.fail(namespaceId(request.getNamespace()), request);
            return RespondNexusTaskFailedResponse.getDefaultInstance();
        });
    }

    // --- task queues
    // Injected into fields, not the constructor, to keep this section to itself at the end of the class.

    @jakarta.inject.Inject
    TaskQueueDescriptions taskQueueDescriptions;
    @jakarta.inject.Inject
    ClusterInfo clusterInfo;
    @jakarta.inject.Inject
    ClusterTaskQueues clusterTaskQueues;

    @Override
    public void describeTaskQueue(DescribeTaskQueueRequest request, StreamObserver<DescribeTaskQueueResponse> response) {
        run(response, () -> {
            String namespaceId = namespaceId(request.getNamespace()); // Temporal looks the namespace up first
            return taskQueueDescriptions.describe(namespaceId, TaskQueueNames.described(request), request,
                    clusterTaskQueues::snapshot);
        });
    }

    @Override
    public void listTaskQueuePartitions(ListTaskQueuePartitionsRequest request,
                                        StreamObserver<ListTaskQueuePartitionsResponse> response) {
        run(response, () -> {
            String name = TaskQueueNames.root(request.hasTaskQueue(), request.getTaskQueue()); // here, the name first
            namespaceId(request.getNamespace());
            return taskQueueDescriptions.partitions(name, clusterInfo.nodeAddress());
        });
    }

    @Override
    public void getClusterInfo(GetClusterInfoRequest request, StreamObserver<GetClusterInfoResponse> response) {
        response.onNext(clusterInfo.response());
        response.onCompleted();
    }
}
