package dev.aeon.dataplane.auth;

import dev.aeon.auth.mtls.MtlsSettings;
import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.namespace.NamespaceSettings;
import dev.aeon.dataplane.namespace.NamespaceStore;
import dev.aeon.testing.StandInControlPlane;
import dev.aeon.testing.StandInControlPlaneResource;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.RequestCancelExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.SignalExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.UpdateNamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one tenant of a shared data plane can do to another's namespaces, through the real entry points.
 *
 * <p>A workflow reaches only its own namespace with child, signal and cancel commands, unless both namespaces are of
 * the same account and both allow cross-namespace commands. A worker of account acme tries another account's
 * namespace; the workflow task fails with Temporal's BAD_*_ATTRIBUTES cause, the same words as for a namespace that
 * does not exist, and the target stays untouched. The child goes through the Java SDK; signal and cancel go through
 * the worker protocol directly (the Java SDK always sends its own namespace on those commands, other SDKs need not).
 */
@QuarkusTest
class TenantIsolationTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String OWN = "own-" + SUFFIX + ".acme";
    private static final String SIBLING = "sibling-" + SUFFIX + ".acme";
    private static final String OPEN_A = "open-a-" + SUFFIX + ".acme";
    private static final String OPEN_B = "open-b-" + SUFFIX + ".acme";
    private static final String VICTIM = "victim-" + SUFFIX + ".globex";
    private static final String MISSING = "missing-" + SUFFIX + ".globex";
    private static boolean provisioned;
    private static WorkflowServiceStubs acme;
    private static WorkflowServiceStubs globex;

    @BeforeEach
    void provision() {
        if (provisioned) {
            return;
        }
        provisioned = true;
        for (String namespace : List.of(OWN, SIBLING)) {
            Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, namespace, settings("acme", false));
        }
        for (String namespace : List.of(OPEN_A, OPEN_B)) {
            Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, namespace, settings("acme", true));
        }
        // even an opt-in does not open a namespace to another account
        Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, VICTIM, settings("globex", true));
        acme = connect(adminKey("acme"));
        globex = connect(adminKey("globex"));
    }

    @AfterAll
    static void disconnect() {
        if (acme != null) {
            acme.shutdownNow();
            globex.shutdownNow();
        }
    }

    private static Map<String, Object> settings(String account, boolean crossNamespace) {
        return Map.of("accountId", account, "retentionDays", 1, "apiKeyAuthEnabled", true,
                "allowCrossNamespaceCommands", crossNamespace);
    }

    private static String adminKey(String account) {
        String keyId = "k-" + UUID.randomUUID();
        Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
        StandInControlPlaneResource.controlPlane().putAccess(keyId, """
                {"keyId":"%s","accountId":"%s","ownerId":"u-1","ownerType":"user","enabled":true,
                 "expiresAt":"%s","accountRole":"ADMIN","namespacePermissions":{}}"""
                .formatted(keyId, account, expires));
        return StandInControlPlaneResource.sign(keyId, account, expires);
    }

    private static WorkflowServiceStubs connect(String apiKey) {
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + TestPorts.FRONTEND).addApiKey(() -> apiKey).setEnableHttps(false).build());
    }

    /** A running workflow nobody works on: whatever reaches it shows in its history. */
    private static WorkflowExecution target(WorkflowServiceStubs service, String namespace) {
        String id = "target-" + UUID.randomUUID();
        String runId = service.blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace).setWorkflowId(id).setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("Target"))
                .setTaskQueue(TaskQueue.newBuilder().setName("nobody-" + SUFFIX)).build()).getRunId();
        return WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(runId).build();
    }

    private static List<HistoryEvent> history(WorkflowServiceStubs service, String namespace, WorkflowExecution run) {
        return service.blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(namespace).setExecution(run).build()).getHistory().getEventsList();
    }

    /**
     * Starts a workflow in {@code source}, completes its first task with {@code command} as a worker would, and
     * answers the run.
     */
    private static WorkflowExecution completeFirstTaskWith(String source, Command command) {
        String queue = "intruder-" + UUID.randomUUID();
        String id = "intruder-" + UUID.randomUUID();
        String runId = acme.blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(source).setWorkflowId(id).setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName("Intruder"))
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build()).getRunId();
        PollWorkflowTaskQueueResponse task = acme.blockingStub().pollWorkflowTaskQueue(
                PollWorkflowTaskQueueRequest.newBuilder().setNamespace(source).setIdentity("intruder")
                        .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
        assertFalse(task.getTaskToken().isEmpty(), "the intruder's first workflow task");
        try {
            acme.blockingStub().respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                    .setNamespace(source).setTaskToken(task.getTaskToken()).setIdentity("intruder")
                    .addCommands(command).build());
        } catch (StatusRuntimeException refused) {
            // A refused command fails the task; the worker is told with INVALID_ARGUMENT, as Temporal does.
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        }
        return WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(runId).build();
    }

    private static WorkflowTaskFailedEventAttributes refusal(String source, Command command) {
        WorkflowExecution intruder = completeFirstTaskWith(source, command);
        try {
            return history(acme, source, intruder).stream()
                    .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                    .findFirst().orElseThrow(() -> new AssertionError(command.getCommandType()
                            + " was accepted: " + history(acme, source, intruder)))
                    .getWorkflowTaskFailedEventAttributes();
        } finally {
            terminate(acme, source, intruder);
        }
    }

    private static void terminate(WorkflowServiceStubs service, String namespace, WorkflowExecution run) {
        try {
            service.blockingStub().terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
                    .setNamespace(namespace).setWorkflowExecution(run).setReason("test over").build());
        } catch (StatusRuntimeException alreadyClosed) {
            // closed already
        }
    }

    private static Command signal(String namespace, WorkflowExecution target) {
        return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION)
                .setSignalExternalWorkflowExecutionCommandAttributes(SignalExternalWorkflowExecutionCommandAttributes
                        .newBuilder().setNamespace(namespace).setExecution(target).setSignalName("poke"))
                .build();
    }

    private static Command cancel(String namespace, WorkflowExecution target) {
        return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION)
                .setRequestCancelExternalWorkflowExecutionCommandAttributes(
                        RequestCancelExternalWorkflowExecutionCommandAttributes.newBuilder().setNamespace(namespace)
                                .setWorkflowId(target.getWorkflowId()).setRunId(target.getRunId()))
                .build();
    }

    private static boolean any(List<HistoryEvent> events, EventType type) {
        return events.stream().anyMatch(e -> e.getEventType() == type);
    }

    @Test
    void signalAndCancelIntoAnotherAccountAreRefusedAsIfTheNamespaceDidNotExist() {
        WorkflowExecution victim = target(globex, VICTIM);

        WorkflowTaskFailedEventAttributes signalled = refusal(OWN, signal(VICTIM, victim));
        WorkflowTaskFailedEventAttributes missing = refusal(OWN, signal(MISSING, victim));
        WorkflowTaskFailedEventAttributes cancelled = refusal(OWN, cancel(VICTIM, victim));

        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
                signalled.getCause());
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
                cancelled.getCause());
        assertTrue(signalled.getFailure().getMessage().startsWith("SignalExternalWorkflowExecutionCommand.namespace: "),
                signalled.getFailure().getMessage());
        assertTrue(cancelled.getFailure().getMessage().contains(".namespace: namespace " + VICTIM),
                cancelled.getFailure().getMessage());
        // another tenant's namespace and a missing one: the same answer
        assertEquals(missing.getCause(), signalled.getCause());
        assertEquals(missing.getFailure().getMessage().replace(MISSING, VICTIM), signalled.getFailure().getMessage());

        List<HistoryEvent> untouched = history(globex, VICTIM, victim);
        assertFalse(any(untouched, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED), untouched.toString());
        assertFalse(any(untouched, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED), untouched.toString());
        terminate(globex, VICTIM, victim);
    }

    @Test
    void theSameAccountNeedsBothNamespacesToOptIn() throws InterruptedException {
        WorkflowExecution sibling = target(acme, SIBLING);
        WorkflowExecution open = target(acme, OPEN_B);

        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
                refusal(OWN, signal(SIBLING, sibling)).getCause());
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
                refusal(OPEN_A, signal(SIBLING, sibling)).getCause(), "the target did not opt in");
        assertFalse(any(history(acme, SIBLING, sibling), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED));

        WorkflowExecution sender = completeFirstTaskWith(OPEN_A, signal(OPEN_B, open));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!any(history(acme, OPEN_B, open), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(any(history(acme, OPEN_B, open), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED));
        assertTrue(any(history(acme, OPEN_A, sender), EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED));
        for (var run : List.of(Map.entry(SIBLING, sibling), Map.entry(OPEN_B, open), Map.entry(OPEN_A, sender))) {
            terminate(acme, run.getKey(), run.getValue());
        }
    }

    @Test
    void aParentClosePolicyDoesNotReachANamespaceThatStoppedAllowingIt() throws InterruptedException {
        String parentNamespace = "pcp-parent-" + SUFFIX + ".acme";
        String childNamespace = "pcp-child-" + SUFFIX + ".acme";
        Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, parentNamespace, settings("acme", true));
        Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, childNamespace, settings("acme", true));
        String childId = "child-" + UUID.randomUUID();
        WorkflowExecution parent = completeFirstTaskWith(parentNamespace, Command.newBuilder()
                .setCommandType(CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION)
                .setStartChildWorkflowExecutionCommandAttributes(StartChildWorkflowExecutionCommandAttributes.newBuilder()
                        .setNamespace(childNamespace).setWorkflowId(childId)
                        .setWorkflowType(WorkflowType.newBuilder().setName("Child"))
                        .setTaskQueue(TaskQueue.newBuilder().setName("nobody-" + SUFFIX))
                        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE))
                .build());
        DescribeWorkflowExecutionRequest describeChild = DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(childNamespace).setExecution(WorkflowExecution.newBuilder().setWorkflowId(childId)).build();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!any(history(acme, parentNamespace, parent), EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(any(history(acme, parentNamespace, parent), EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED));

        // the child's namespace stops accepting commands from others; then the parent closes
        Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, childNamespace, settings("acme", false));
        terminate(acme, parentNamespace, parent);

        Thread.sleep(2000); // the parent close policy runs right after the parent's close
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, acme.blockingStub()
                .describeWorkflowExecution(describeChild).getWorkflowExecutionInfo().getStatus());
        terminate(acme, childNamespace, WorkflowExecution.newBuilder().setWorkflowId(childId).build());
    }

    /**
     * Nexus is the way across namespaces, and still not across accounts: an acme workflow naming globex's endpoint
     * is told it does not exist, with the words for an endpoint nobody registered, and globex's handlers see nothing.
     */
    @Test
    void anotherAccountsNexusEndpointIsNotFound() {
        String endpoint = "globex_greetings_" + SUFFIX;
        given().header(dev.aeon.auth.InternalToken.HEADER, StandInControlPlane.INTERNAL_TOKEN)
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("accountId", "globex", "name", endpoint, "targetNamespace", VICTIM,
                        "targetTaskQueue", "globex-handlers", "allowedCallerNamespaces", List.of(VICTIM)))
                .put("/internal/v1/nexus-endpoints/globex-" + SUFFIX).then().statusCode(200);
        // Listing acme's namespace among globex's callers is refused outright.
        given().header(dev.aeon.auth.InternalToken.HEADER, StandInControlPlane.INTERNAL_TOKEN)
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("accountId", "globex", "name", endpoint, "targetNamespace", VICTIM,
                        "targetTaskQueue", "globex-handlers", "allowedCallerNamespaces", List.of(VICTIM, OWN)))
                .put("/internal/v1/nexus-endpoints/globex-" + SUFFIX).then().statusCode(400);

        WorkflowTaskFailedEventAttributes refused = refusal(OWN, Command.newBuilder()
                .setCommandType(CommandType.COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION)
                .setScheduleNexusOperationCommandAttributes(
                        io.temporal.api.command.v1.ScheduleNexusOperationCommandAttributes.newBuilder()
                                .setEndpoint(endpoint).setService("greetings").setOperation("hello"))
                .build());
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES,
                refused.getCause());
        assertEquals("endpoint \"" + endpoint + "\" not found", refused.getFailure().getMessage());
    }

    @Test
    void describeNamespaceByIdFindsOnlyTheCallersNamespaces() {
        String victimId = globex.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder()
                .setNamespace(VICTIM).build()).getNamespaceInfo().getId();
        String ownId = acme.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder()
                .setNamespace(OWN).build()).getNamespaceInfo().getId();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER), OWN);
        var scoped = acme.blockingStub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

        assertEquals(OWN, scoped.describeNamespace(DescribeNamespaceRequest.newBuilder().setId(ownId).build())
                .getNamespaceInfo().getName());
        StatusRuntimeException theirs = assertThrows(StatusRuntimeException.class,
                () -> scoped.describeNamespace(DescribeNamespaceRequest.newBuilder().setId(victimId).build()));
        StatusRuntimeException nobodys = assertThrows(StatusRuntimeException.class, () -> scoped.describeNamespace(
                DescribeNamespaceRequest.newBuilder().setId(UUID.randomUUID().toString()).build()));
        assertEquals(Status.Code.NOT_FOUND, theirs.getStatus().getCode());
        assertEquals(nobodys.getStatus().getCode(), theirs.getStatus().getCode());
        assertFalse(theirs.getStatus().getDescription().contains(VICTIM), theirs.getStatus().getDescription());
    }

    @Inject
    NamespaceStore store;

    @Test
    void aProvisioningChangeRacingATenantsUpdateIsNeverLost() {
        String name = "raced-" + SUFFIX + ".acme";
        Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, name, settings("acme", false));
        acme.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build());

        // The control plane changes retention, mTLS and attributes through another node; this node's cached copy is
        // now stale. (API keys stay on: were they turned off, the tenant's update would pass only while this node's
        // copy is younger than its refresh, a race the test would lose on a slow machine.)
        NamespaceRegistry otherNode = new NamespaceRegistry(store, java.time.Duration.ofHours(1),
                java.time.Duration.ofHours(1));
        NamespaceSettings provisioned = new NamespaceSettings("acme", 2, true,
                new MtlsSettings(true, TestPki.TENANT_A_CA.certificatePem(), List.of()), Map.of("Region", "Keyword"),
                false);
        otherNode.provision(name, provisioned);
        acme.blockingStub().updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace(name)
                .setUpdateInfo(UpdateNamespaceInfo.newBuilder().setDescription("the tenant's words")).build());

        Namespace stored = store.byName(name).orElseThrow();
        assertEquals(provisioned, stored.settings());
        assertEquals(2 * 86400, stored.description().getConfig().getWorkflowExecutionRetentionTtl().getSeconds());
        assertEquals("the tenant's words", stored.description().getNamespaceInfo().getDescription());
    }

    @Test
    void aTenantCannotWriteWhatTheControlPlaneOwns() {
        StatusRuntimeException retention = assertThrows(StatusRuntimeException.class, () -> acme.blockingStub()
                .updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace(OWN)
                        .setConfig(NamespaceConfig.newBuilder().setWorkflowExecutionRetentionTtl(
                                com.google.protobuf.util.Durations.fromDays(30))).build()));
        StatusRuntimeException account = assertThrows(StatusRuntimeException.class, () -> acme.blockingStub()
                .updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace(OWN)
                        .setUpdateInfo(UpdateNamespaceInfo.newBuilder().putData("aeon.account", "globex")).build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, retention.getStatus().getCode());
        assertTrue(retention.getStatus().getDescription().startsWith("config.workflow_execution_retention_ttl:"),
                retention.getStatus().getDescription());
        assertEquals(Status.Code.INVALID_ARGUMENT, account.getStatus().getCode());
        assertTrue(account.getStatus().getDescription().startsWith("update_info.data:"),
                account.getStatus().getDescription());
        assertEquals("acme", store.byName(OWN).orElseThrow().description().getNamespaceInfo().getDataOrThrow("aeon.account"));
    }

    @WorkflowInterface
    public interface Kidnapper {
        @WorkflowMethod
        String adopt(String namespace, String childId);
    }

    @WorkflowInterface
    public interface Victim {
        @WorkflowMethod
        String run();
    }

    public static class KidnapperImpl implements Kidnapper {
        @Override
        public String adopt(String namespace, String childId) {
            return Workflow.newChildWorkflowStub(Victim.class, ChildWorkflowOptions.newBuilder()
                    .setNamespace(namespace).setWorkflowId(childId).setTaskQueue("victims").build()).run();
        }
    }

    @Test
    void aChildInAnotherAccountIsNeverStarted() throws InterruptedException {
        WorkflowClient client = WorkflowClient.newInstance(acme,
                WorkflowClientOptions.newBuilder().setNamespace(OWN).build());
        WorkerFactory workers = WorkerFactory.newInstance(client);
        String queue = "kidnappers-" + UUID.randomUUID();
        workers.newWorker(queue).registerWorkflowImplementationTypes(KidnapperImpl.class);
        workers.start();
        String parentId = "kidnapper-" + UUID.randomUUID();
        String childId = "child-" + UUID.randomUUID();
        try {
            Kidnapper kidnapper = client.newWorkflowStub(Kidnapper.class,
                    WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(parentId).build());
            WorkflowExecution parent = WorkflowClient.start(kidnapper::adopt, VICTIM, childId);

            HistoryEvent failed = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (failed == null && System.nanoTime() < deadline) {
                failed = history(acme, OWN, parent).stream()
                        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                        .findFirst().orElse(null);
                Thread.sleep(50);
            }
            assertTrue(failed != null, "the child command was accepted: " + history(acme, OWN, parent));
            assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES,
                    failed.getWorkflowTaskFailedEventAttributes().getCause());
            assertTrue(failed.getWorkflowTaskFailedEventAttributes().getFailure().getMessage()
                    .startsWith("StartChildWorkflowExecutionCommand.namespace: namespace " + VICTIM + " is not found"));
            assertFalse(any(history(acme, OWN, parent),
                    EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));

            StatusRuntimeException absent = assertThrows(StatusRuntimeException.class, () -> globex.blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(VICTIM)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(childId)).build()));
            assertEquals(Status.Code.NOT_FOUND, absent.getStatus().getCode());
            terminate(acme, OWN, parent);
        } finally {
            workers.shutdownNow();
        }
    }
}
