package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.common.WorkflowExecutionHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * What Aeon does not write yet, each with the reason; everything else must match. Remove an entry when the
     * feature lands (the test then holds it).
     */
    static final Map<String, String> KNOWN_GAPS = Map.of();

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(TestTenant.namespace("parity"), ParityScenarios.TASK_QUEUE, ParityScenarios::register);
        // The scenarios upsert a custom attribute, which must be registered as on the server that recorded them.
        TestTenant.provision(TestTenant.namespace("parity"), java.util.Map.of(ParityScenarios.KEYWORD.getName(), "Keyword"));
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void everyScenarioWritesTemporalsEventsWithTemporalsFields() throws Exception {
        String prefix = "parity-" + UUID.randomUUID();
        Map<String, WorkflowExecutionHistory> histories = ParityScenarios.run(sdk.client, prefix);
        assertEquals(prefix + "-every-command", histories.get("child-done").getEvents().get(0)
                .getWorkflowExecutionStartedEventAttributes().getRootWorkflowExecution().getWorkflowId(),
                "a child's root is the workflow at the top of its tree (Workflow.getInfo().getRootWorkflowId())");
        Path shapes = Files.createDirectories(Path.of("target/parity"));
        java.util.List<String> differing = new java.util.ArrayList<>();
        for (Map.Entry<String, WorkflowExecutionHistory> history : histories.entrySet()) {
            String reference = HistoryShape.of(WorkflowExecutionHistory.fromJson(
                    Files.readString(TemporalParityRecorder.REFERENCE.resolve(history.getKey() + ".json"))),
                    KNOWN_GAPS.keySet());
            String aeon = HistoryShape.of(history.getValue(), KNOWN_GAPS.keySet());
            // Both shapes side by side for `diff`, when they differ.
            Files.writeString(shapes.resolve(history.getKey() + ".temporal"), reference);
            Files.writeString(shapes.resolve(history.getKey() + ".aeon"), aeon);
            if (!reference.equals(aeon)) {
                differing.add(history.getKey());
            }
        }
        assertEquals(java.util.List.of(), differing, "these scenarios' histories differ from Temporal's: "
                + "diff target/parity/<scenario>.{temporal,aeon}");
    }
}
