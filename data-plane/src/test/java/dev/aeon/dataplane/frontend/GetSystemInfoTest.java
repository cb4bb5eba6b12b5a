package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.TestPorts;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Temporal's own generated stub (temporal-serviceclient, protobuf 3.25-era code) talks to the data plane served
 * by Quarkus gRPC (the platform's protobuf and gRPC): the two sets of versions agree on the wire and in-process.
 */
@QuarkusTest
class GetSystemInfoTest {

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int port;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void temporalStubReadsSystemInfoOnTheFrontendPort() {
        assertEquals(TestPorts.FRONTEND, port, "the frontend listens on Temporal's default port (or AEON_TEST_FRONTEND_PORT)");

        GetSystemInfoResponse info = WorkflowServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());

        assertEquals(SystemInfo.TEMPORAL_SERVER_VERSION, info.getServerVersion());
        assertTrue(info.getCapabilities().getSignalAndQueryHeader());
        assertTrue(info.getCapabilities().getInternalErrorDifferentiation());
        assertTrue(info.getCapabilities().getSdkMetadata());
        assertTrue(info.getCapabilities().getCountGroupByExecutionStatus());
        assertTrue(info.getCapabilities().getNexus(), "Nexus works end to end: endpoints, handler and caller sides");
    }

    @Test
    void grpcHealthServiceReportsServing() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    }
}
