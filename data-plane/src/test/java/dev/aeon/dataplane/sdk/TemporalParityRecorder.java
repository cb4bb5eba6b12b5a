package dev.aeon.dataplane.sdk;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Records the reference histories {@link TemporalParityTest} compares Aeon's with, from Temporal's own server.
 * Not part of the build; run by hand when the scenarios change:
 * <pre>
 * go install github.com/temporalio/cli/cmd/temporal@v1.5.1
 * temporal server start-dev --headless --port 7234 --search-attribute ParityKeyword=Keyword &amp;
 * ./mvnw -pl data-plane -am verify -Dtest=TemporalParityRecorder -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Daeon.parity.record=127.0.0.1:7234
 * </pre>
 */
@EnabledIfSystemProperty(named = "aeon.parity.record", matches = ".+")
class TemporalParityRecorder {

    static final Path REFERENCE = Path.of("src/test/resources/parity");

    @Test
    void recordTemporalsHistories() throws Exception {
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(System.getProperty("aeon.parity.record")).build());
        WorkflowClient client = WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace("default").build());
        WorkerFactory workers = WorkerFactory.newInstance(client);
        ParityScenarios.register(workers.newWorker(ParityScenarios.TASK_QUEUE));
        workers.start();
        try {
            Files.createDirectories(REFERENCE);
            for (Map.Entry<String, WorkflowExecutionHistory> history
                    : ParityScenarios.run(client, "parity-" + System.currentTimeMillis()).entrySet()) {
                Files.writeString(REFERENCE.resolve(history.getKey() + ".json"), history.getValue().toJson(true));
            }
        } finally {
            workers.shutdownNow();
            service.shutdownNow();
        }
    }
}
