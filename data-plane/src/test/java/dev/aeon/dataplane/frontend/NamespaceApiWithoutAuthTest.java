package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.TestPorts;
import com.google.protobuf.util.Durations;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.UpdateNamespaceInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Namespace RPCs, history reads and retention through Temporal's own generated stub, with gzip as Go SDKs use it,
 * with authentication off: RegisterNamespace (the data plane's own namespace creation, refused with authentication
 * on, where the control plane provisions namespaces) exists only in that mode.
 */
@QuarkusTest
@TestProfile(WithoutAuthProfile.class)
class NamespaceApiWithoutAuthTest {

    private ManagedChannel channel;
    private WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", TestPorts.FRONTEND).usePlaintext().build();
        api = WorkflowServiceGrpc.newBlockingStub(channel).withCompression("gzip");
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String name() {
        return "ns-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void aRegisteredNamespaceIsDescribedListedAndUpdated() {
        String name = name();
        api.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name).setDescription("orders")
                .setWorkflowExecutionRetentionPeriod(Durations.fromDays(3)).build());

        DescribeNamespaceResponse described = api.describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace(name).build());
        assertEquals(NamespaceState.NAMESPACE_STATE_REGISTERED, described.getNamespaceInfo().getState());
        assertEquals("orders", described.getNamespaceInfo().getDescription());
        assertEquals(Durations.fromDays(3), described.getConfig().getWorkflowExecutionRetentionTtl());
        assertEquals(described, api.describeNamespace(DescribeNamespaceRequest.newBuilder()
                .setId(described.getNamespaceInfo().getId()).build()));
        assertTrue(api.listNamespaces(ListNamespacesRequest.getDefaultInstance()).getNamespacesList().stream()
                .anyMatch(ns -> ns.getNamespaceInfo().getName().equals(name)));

        UpdateNamespaceResponse updated = api.updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace(name)
                .setUpdateInfo(UpdateNamespaceInfo.newBuilder().setDescription("orders v2"))
                .setConfig(NamespaceConfig.newBuilder().setWorkflowExecutionRetentionTtl(Durations.fromDays(7)))
                .build());
        assertEquals("orders v2", updated.getNamespaceInfo().getDescription());
        assertEquals(Durations.fromDays(7), api.describeNamespace(DescribeNamespaceRequest.newBuilder()
                .setNamespace(name).build()).getConfig().getWorkflowExecutionRetentionTtl());
    }

    @Test
    void theBootstrapNamespaceExistsFromStartUp() {
        assertEquals(NamespaceState.NAMESPACE_STATE_REGISTERED, api.describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace("default").build()).getNamespaceInfo().getState());
    }

    @Test
    void badNamespaceRequestsGetTemporalsStatusCodes() {
        String name = name();
        api.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name).build());

        assertEquals(Status.Code.ALREADY_EXISTS,
                code(() -> api.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name).build())));
        assertEquals(Status.Code.NOT_FOUND,
                code(() -> api.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name()).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT,
                code(() -> api.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace("bad name!").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> api.registerNamespace(RegisterNamespaceRequest.newBuilder()
                .setNamespace(name()).setWorkflowExecutionRetentionPeriod(Durations.fromDays(-1)).build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> api.startWorkflowExecution(start(name(), "wf"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> api.startWorkflowExecution(start(name, ""))));
    }

    @Test
    void historyReadsForwardInPagesAndNewestFirst() {
        String name = name();
        api.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name).build());
        StartWorkflowExecutionResponse started = api.startWorkflowExecution(start(name, "paged"));
        WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId("paged")
                .setRunId(started.getRunId()).build();
        for (int i = 0; i < 3; i++) {
            api.signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder().setNamespace(name)
                    .setWorkflowExecution(execution).setSignalName("s" + i).build());
        }

        GetWorkflowExecutionHistoryResponse first = api.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest
                .newBuilder().setNamespace(name).setExecution(execution).setMaximumPageSize(3).build());
        GetWorkflowExecutionHistoryResponse second = api.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest
                .newBuilder().setNamespace(name).setExecution(execution).setMaximumPageSize(3)
                .setNextPageToken(first.getNextPageToken()).build());
        assertEquals(List.of(1L, 2L, 3L), ids(first.getHistory().getEventsList()));
        assertEquals(List.of(4L, 5L), ids(second.getHistory().getEventsList()));
        assertTrue(second.getNextPageToken().isEmpty());

        GetWorkflowExecutionHistoryReverseResponse newest = api.getWorkflowExecutionHistoryReverse(
                GetWorkflowExecutionHistoryReverseRequest.newBuilder().setNamespace(name).setExecution(execution)
                        .setMaximumPageSize(2).build());
        assertEquals(List.of(5L, 4L), ids(newest.getHistory().getEventsList()));
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, newest.getHistory().getEvents(0).getEventType());
        assertEquals(List.of(3L, 2L), ids(api.getWorkflowExecutionHistoryReverse(
                GetWorkflowExecutionHistoryReverseRequest.newBuilder().setNamespace(name).setExecution(execution)
                        .setMaximumPageSize(2).setNextPageToken(newest.getNextPageToken()).build())
                .getHistory().getEventsList()));
    }

    @Test
    void closedRunsAreDeletedWhenTheirNamespacesRetentionEnds() throws InterruptedException {
        String name = name();
        api.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                .setWorkflowExecutionRetentionPeriod(Durations.fromSeconds(2)).build());
        api.startWorkflowExecution(start(name, "short-lived"));
        WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId("short-lived").build();
        api.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(name)
                .setWorkflowExecution(execution).setReason("done").build());
        DescribeWorkflowExecutionRequest describe = DescribeWorkflowExecutionRequest.newBuilder().setNamespace(name)
                .setExecution(execution).build();
        api.describeWorkflowExecution(describe); // still there right after closing
        ListWorkflowExecutionsRequest listed = ListWorkflowExecutionsRequest.newBuilder().setNamespace(name)
                .setQuery("WorkflowId = 'short-lived' AND ExecutionStatus = 'Terminated'").build();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean seenInVisibility = false;
        while (System.nanoTime() < deadline) {
            try {
                api.describeWorkflowExecution(describe);
                seenInVisibility |= api.listWorkflowExecutions(listed).getExecutionsCount() == 1;
                Thread.sleep(200);
            } catch (StatusRuntimeException gone) {
                assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
                // Listed while it lived; its record went before its rows, so it is not listed once it is gone.
                assertTrue(seenInVisibility, "the closed run was never listed while it existed");
                assertEquals(0, api.listWorkflowExecutions(listed).getExecutionsCount());
                // The workflow id is free again: a new run starts.
                api.startWorkflowExecution(start(name, "short-lived"));
                return;
            }
        }
        throw new AssertionError("the closed run outlived its namespace's 2 s retention by 30 s");
    }

    private static StartWorkflowExecutionRequest start(String namespace, String workflowId) {
        return StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace).setWorkflowId(workflowId)
                .setWorkflowType(WorkflowType.newBuilder().setName("Paged"))
                .setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls"))
                .setRequestId(UUID.randomUUID().toString()).build();
    }

    private static List<Long> ids(List<io.temporal.api.history.v1.HistoryEvent> events) {
        return events.stream().map(io.temporal.api.history.v1.HistoryEvent::getEventId).toList();
    }
}
