package dev.aeon.dataplane.sdk;

import io.quarkus.test.junit.QuarkusTest;
import io.temporal.common.WorkflowExecutionHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Aeon writes the histories Temporal's server writes: the same workflows, run by the same Java SDK, produce the
 * same events with the same fields present as the reference histories recorded from Temporal's dev server
 * ({@link TemporalParityRecorder}). Values that differ per run (ids, times) are not compared; presence is.
 */
@QuarkusTest
class TemporalParityTest {

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start("parity", ParityScenarios.TASK_QUEUE, ParityScenarios::register);
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void everyScenarioWritesTemporalsEventsWithTemporalsFields() throws Exception {
        Map<String, WorkflowExecutionHistory> histories = ParityScenarios.run(sdk.client, "parity-" + UUID.randomUUID());
        for (Map.Entry<String, WorkflowExecutionHistory> history : histories.entrySet()) {
            String reference = Files.readString(TemporalParityRecorder.REFERENCE.resolve(history.getKey() + ".json"));
            assertEquals(HistoryShape.of(WorkflowExecutionHistory.fromJson(reference)), HistoryShape.of(history.getValue()),
                    "the history of scenario " + history.getKey() + " differs from Temporal's");
        }
    }
}
