package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestPorts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;

import java.util.function.Consumer;

/**
 * The real Temporal Java SDK, pointed at the data plane on 7233 the way a tenant's application connects: one
 * service connection, a client for a namespace, a worker factory for that namespace's task queues.
 *
 * <p>Every workflow the client starts is replayed through the SDK's replayer when the harness closes (see
 * {@link ReplayCheck}): a history that does not replay is a workflow lost at the next worker restart, so every
 * test that runs workflows to completion also proves their histories replay.
 */
public final class SdkHarness implements AutoCloseable {

    static final String TARGET = "127.0.0.1:" + TestPorts.FRONTEND;

    final WorkflowServiceStubs service;
    final WorkflowClient client;
    final WorkerFactory workers;
    final ReplayCheck replays = new ReplayCheck();
    private Worker worker;

    private SdkHarness(String namespace) {
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(TARGET).build());
        registerIfMissing(service, namespace);
        client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace)
                .setInterceptors(replays.recorder()).build());
        workers = WorkerFactory.newInstance(client);
    }

    /** Connects, registers the namespace if needed, lets the caller register workers, starts them. */
    static SdkHarness start(String namespace, String taskQueue, Consumer<Worker> registrations) {
        SdkHarness harness = new SdkHarness(namespace);
        harness.worker = harness.workers.newWorker(taskQueue);
        registrations.accept(harness.worker);
        harness.workers.start();
        return harness;
    }

    public static void registerIfMissing(WorkflowServiceStubs service, String namespace) {
        try {
            service.blockingStub().registerNamespace(RegisterNamespaceRequest.newBuilder()
                    .setNamespace(namespace)
                    .setWorkflowExecutionRetentionPeriod(com.google.protobuf.util.Durations.fromDays(1))
                    .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    /** Replays every closed run of every workflow started here; fails the test on the first that does not replay. */
    @Override
    public void close() {
        try {
            replays.replayAll(client, worker);
        } finally {
            workers.shutdownNow();
            service.shutdownNow();
        }
    }
}
