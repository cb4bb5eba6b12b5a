package dev.aeon.dataplane.sdk;

import dev.aeon.auth.InternalToken;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlane;
import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.sdk.HelloActivityTest.Greeting;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting a namespace (the control plane's DELETE /internal/v1/namespaces/{ns}) purges its executions and
 * histories in the background, running ones included.
 */
@QuarkusTest
class NamespacePurgeTest {

    @Inject
    ExecutionStore store;

    @ConfigProperty(name = "aeon.data-plane.history.shards", defaultValue = "16")
    int shards;

    @Test
    void aDeletedNamespacesRunsAndHistoriesArePurged() throws InterruptedException {
        String namespace = TestTenant.namespace("purged-" + UUID.randomUUID().toString().substring(0, 8));
        String closedRun;
        String runningRun;
        String namespaceId;
        try (SdkHarness sdk = SdkHarness.start(namespace, "purged", worker -> {
            worker.registerWorkflowImplementationTypes(HelloActivityTest.GreetingImpl.class);
            worker.registerActivitiesImplementations(new HelloActivityTest.GreeterImpl());
        })) {
            namespaceId = sdk.service.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder()
                    .setNamespace(namespace).build()).getNamespaceInfo().getId();
            Greeting greeting = sdk.client.newWorkflowStub(Greeting.class, WorkflowOptions.newBuilder()
                    .setTaskQueue("purged").setWorkflowId("closed").build());
            assertEquals("Hello, purge!", greeting.greet("purge"));
            closedRun = WorkflowStub.fromTyped(greeting).getExecution().getRunId();
            runningRun = sdk.service.blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                    .setNamespace(namespace).setWorkflowId("running").setRequestId(UUID.randomUUID().toString())
                    .setWorkflowType(WorkflowType.newBuilder().setName("NobodyRunsThis"))
                    .setTaskQueue(TaskQueue.newBuilder().setName("idle")).build()).getRunId();
        }
        assertEquals(2, runsOf(namespaceId).size());

        given().header(InternalToken.HEADER, StandInControlPlane.INTERNAL_TOKEN)
                .delete("/internal/v1/namespaces/" + namespace).then().statusCode(200);

        long deadline = System.currentTimeMillis() + 20_000;
        while (!runsOf(namespaceId).isEmpty() || store.purgesRequested().contains(namespaceId)) {
            assertTrue(System.currentTimeMillis() < deadline, "still there after 20 s: " + runsOf(namespaceId));
            Thread.sleep(200);
        }
        assertTrue(store.readHistory(closedRun, 1, 100, Long.MAX_VALUE).isEmpty());
        assertTrue(store.readHistory(runningRun, 1, 100, Long.MAX_VALUE).isEmpty());
    }

    private List<ExecutionStore.RunKey> runsOf(String namespaceId) {
        return IntStream.range(0, shards).boxed()
                .flatMap(shard -> store.runsOf(shard, namespaceId, 10).stream()).toList();
    }
}
