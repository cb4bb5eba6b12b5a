package dev.aeon.dataplane.auth;

import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.sdk.WorkflowBehaviourTest;
import dev.aeon.testing.StandInControlPlane;
import dev.aeon.testing.StandInControlPlaneResource;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys on the data plane through the real Java SDK: a WRITE key runs workers and starts; a READ key describes,
 * queries and reads history but cannot start or signal; expired, forged and disabled keys are UNAUTHENTICATED; a
 * namespace with API keys turned off refuses them; a header naming another namespace is rejected.
 */
@QuarkusTest
class ApiKeyAuthTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    static final String NAMESPACE = "inbox-" + SUFFIX + ".acme";
    static final String NO_KEYS = "certs-only-" + SUFFIX + ".acme";
    private static boolean provisioned;

    /** Per test, not @BeforeAll: REST Assured points at the test app's random port only around each test. */
    @BeforeEach
    void provision() {
        if (provisioned) {
            return;
        }
        provisioned = true;
        provision(NAMESPACE, Map.of("accountId", "acme", "retentionDays", 1, "apiKeyAuthEnabled", true));
        provision(NO_KEYS, Map.of("accountId", "acme", "retentionDays", 1, "apiKeyAuthEnabled", false,
                "mtls", Map.of("enabled", true, "acceptedClientCa", TestPki.TENANT_A_CA.certificatePem())));
    }

    private static void provision(String namespace, Map<String, Object> settings) {
        Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, namespace, settings);
    }

    /** A signed key whose current access the stand-in control plane answers with. */
    private static String key(String permission, boolean enabled, Instant expires) throws Exception {
        String keyId = "k-" + UUID.randomUUID();
        StandInControlPlaneResource.controlPlane().putAccess(keyId, """
                {"keyId":"%s","accountId":"acme","ownerId":"sa-1","ownerType":"service-account","enabled":%s,
                 "expiresAt":"%s","accountRole":"DEVELOPER","namespacePermissions":{"%s":"%s"}}"""
                .formatted(keyId, enabled, expires, NAMESPACE, permission));
        return StandInControlPlaneResource.sign(keyId, "acme", expires);
    }

    private static String key(String permission) throws Exception {
        return key(permission, true, Instant.now().plus(1, ChronoUnit.DAYS));
    }

    private static WorkflowServiceStubs connect(String apiKey) {
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + TestPorts.FRONTEND).addApiKey(() -> apiKey).setEnableHttps(false).build());
    }

    private static Status.Code describe(String apiKey, String namespace) {
        WorkflowServiceStubs service = connect(apiKey);
        try {
            service.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            service.shutdownNow();
        }
    }

    private static Status.Code codeOf(Throwable error) {
        Throwable cause = error;
        while (!(cause instanceof StatusRuntimeException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof StatusRuntimeException status ? status.getStatus().getCode() : Status.Code.UNKNOWN;
    }

    @Test
    void aWriteKeyRunsTheWorkflowAndAReadKeyWatchesButCannotAct() throws Exception {
        WorkflowServiceStubs writer = connect(key("WRITE"));
        WorkflowServiceStubs reader = connect(key("READ"));
        WorkerFactory workers = WorkerFactory.newInstance(WorkflowClient.newInstance(writer,
                WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build()));
        try {
            Worker worker = workers.newWorker("inbox");
            worker.registerWorkflowImplementationTypes(WorkflowBehaviourTest.InboxImpl.class);
            workers.start();
            WorkflowClient writing = WorkflowClient.newInstance(writer,
                    WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
            String id = "inbox-" + UUID.randomUUID();
            WorkflowBehaviourTest.Inbox inbox = writing.newWorkflowStub(WorkflowBehaviourTest.Inbox.class,
                    WorkflowOptions.newBuilder().setTaskQueue("inbox").setWorkflowId(id).build());
            WorkflowClient.start(inbox::collect, 30);
            inbox.add("first");

            WorkflowClient reading = WorkflowClient.newInstance(reader,
                    WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
            WorkflowBehaviourTest.Inbox watched = reading.newWorkflowStub(WorkflowBehaviourTest.Inbox.class, id);
            long deadline = System.nanoTime() + 10_000_000_000L; // the signal reaches the workflow with its next task
            while (watched.items().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of("first"), watched.items());
            assertTrue(reading.fetchHistory(id).getEvents().size() > 3);
            assertEquals(Status.Code.PERMISSION_DENIED, codeOf(assertThrows(Exception.class, () -> watched.add("no"))));
            assertEquals(Status.Code.PERMISSION_DENIED, codeOf(assertThrows(Exception.class,
                    () -> WorkflowClient.start(reading.newWorkflowStub(WorkflowBehaviourTest.Inbox.class,
                            WorkflowOptions.newBuilder().setTaskQueue("inbox").setWorkflowId("x-" + id).build())::collect,
                            1))));

            inbox.add("done");
            assertEquals(List.of("first", "done"), WorkflowStub.fromTyped(inbox).getResult(List.class));
        } finally {
            workers.shutdownNow();
            writer.shutdownNow();
            reader.shutdownNow();
        }
    }

    /** Schedules need WRITE to be made or changed, READ to be seen (Temporal's permissions for their RPCs). */
    @Test
    void aReadKeySeesSchedulesButCannotCreateOrChangeThem() throws Exception {
        WorkflowServiceStubs writer = connect(key("WRITE"));
        WorkflowServiceStubs reader = connect(key("READ"));
        try {
            var schedule = io.temporal.api.schedule.v1.Schedule.newBuilder()
                    .setSpec(io.temporal.api.schedule.v1.ScheduleSpec.newBuilder().addCronString("@hourly"))
                    .setAction(io.temporal.api.schedule.v1.ScheduleAction.newBuilder().setStartWorkflow(
                            io.temporal.api.workflow.v1.NewWorkflowExecutionInfo.newBuilder().setWorkflowId("hourly")
                                    .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName("Inbox"))
                                    .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName("inbox"))))
                    .build();
            String id = "keyed-" + UUID.randomUUID();
            java.util.function.Function<WorkflowServiceStubs, io.temporal.api.workflowservice.v1.CreateScheduleRequest>
                    create = stubs -> io.temporal.api.workflowservice.v1.CreateScheduleRequest.newBuilder()
                    .setNamespace(NAMESPACE).setScheduleId(id).setSchedule(schedule)
                    .setRequestId(UUID.randomUUID().toString()).build();
            assertEquals(Status.Code.PERMISSION_DENIED, codeOf(assertThrows(Exception.class,
                    () -> reader.blockingStub().createSchedule(create.apply(reader)))));
            writer.blockingStub().createSchedule(create.apply(writer));
            assertEquals("hourly", reader.blockingStub().describeSchedule(
                    io.temporal.api.workflowservice.v1.DescribeScheduleRequest.newBuilder().setNamespace(NAMESPACE)
                            .setScheduleId(id).build()).getSchedule().getAction().getStartWorkflow().getWorkflowId());
            assertEquals(Status.Code.PERMISSION_DENIED, codeOf(assertThrows(Exception.class,
                    () -> reader.blockingStub().patchSchedule(io.temporal.api.workflowservice.v1.PatchScheduleRequest
                            .newBuilder().setNamespace(NAMESPACE).setScheduleId(id)
                            .setPatch(io.temporal.api.schedule.v1.SchedulePatch.newBuilder().setPause("mine now"))
                            .build()))));
            assertEquals(Status.Code.PERMISSION_DENIED, codeOf(assertThrows(Exception.class,
                    () -> reader.blockingStub().deleteSchedule(io.temporal.api.workflowservice.v1.DeleteScheduleRequest
                            .newBuilder().setNamespace(NAMESPACE).setScheduleId(id).build()))));
            writer.blockingStub().deleteSchedule(io.temporal.api.workflowservice.v1.DeleteScheduleRequest.newBuilder()
                    .setNamespace(NAMESPACE).setScheduleId(id).build());
        } finally {
            writer.shutdownNow();
            reader.shutdownNow();
        }
    }

    @Test
    void expiredForgedDisabledAndMalformedKeysAreUnauthenticated() throws Exception {
        assertEquals(Status.Code.OK, describe(key("READ"), NAMESPACE));
        assertEquals(Status.Code.UNAUTHENTICATED, describe(key("READ", true, Instant.now().minusSeconds(60)), NAMESPACE));
        assertEquals(Status.Code.UNAUTHENTICATED, describe(key("READ", false, Instant.now().plus(1, ChronoUnit.DAYS)),
                NAMESPACE));
        String forged = StandInControlPlane.sign(StandInControlPlane.unpublishedKey("sk-1"), "k-forged", "acme",
                StandInControlPlane.ISSUER, Instant.now().plus(1, ChronoUnit.DAYS));
        assertEquals(Status.Code.UNAUTHENTICATED, describe(forged, NAMESPACE));
        assertEquals(Status.Code.UNAUTHENTICATED, describe("not.a.jwt", NAMESPACE));
    }

    @Test
    void aNamespaceWithApiKeysOffRefusesThemAndOthersLookMissing() throws Exception {
        String owner = key("ADMIN");
        assertEquals(Status.Code.PERMISSION_DENIED, describe(owner, NO_KEYS));
        assertEquals(Status.Code.NOT_FOUND, describe(owner, "inbox-" + SUFFIX + ".globex"));
        WorkflowServiceStubs service = connect(owner);
        try {
            assertEquals(List.of(NAMESPACE), service.blockingStub().listNamespaces(ListNamespacesRequest.getDefaultInstance())
                    .getNamespacesList().stream().map(ns -> ns.getNamespaceInfo().getName())
                    .filter(name -> name.endsWith(SUFFIX + ".acme")).toList());
        } finally {
            service.shutdownNow();
        }
    }

    @Test
    void aNamespaceHeaderThatDisagreesWithTheRequestIsRejected() throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER), NO_KEYS);
        WorkflowServiceStubs service = connect(key("READ"));
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> service.blockingStub()
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        } finally {
            service.shutdownNow();
        }
    }
}
