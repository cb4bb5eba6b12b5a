package dev.aeon.dataplane.sdk;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Temporal's server writes and answers, field by field where SDKs read presence: histories the SDKs can
 * replay, responses whose messages are set where Temporal always sets them, and Temporal's checks before lookups.
 */
@QuarkusTest
public class HistoryFidelityTest {

    static final String NAMESPACE = "fidelity";
    static final String TASK_QUEUE = "fidelity";

    @WorkflowInterface
    public interface LocalGreeting {
        @WorkflowMethod
        String greet(String name);
    }

    @ActivityInterface
    public interface Composer {
        String compose(String name);
    }

    public static class LocalGreetingImpl implements LocalGreeting {
        private final Composer composer = Workflow.newLocalActivityStub(Composer.class,
                LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String greet(String name) {
            return composer.compose(name);
        }
    }

    public static class ComposerImpl implements Composer {
        @Override
        public String compose(String name) {
            return "Hello, " + name + "!";
        }
    }

    @WorkflowInterface
    public interface Waiting {
        @WorkflowMethod
        void waitForRelease();

        @SignalMethod
        void release();
    }

    public static class WaitingImpl implements Waiting {
        private boolean released;

        @Override
        public void waitForRelease() {
            Workflow.await(() -> released);
        }

        @Override
        public void release() {
            released = true;
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(LocalGreetingImpl.class, WaitingImpl.class);
            worker.registerActivitiesImplementations(new ComposerImpl());
        });
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    /** An absent failure must stay absent: a marker with an empty failure present is a failed local activity. */
    @Test
    void aLocalActivitysMarkerCarriesNoFailureAndTheHistoryReplays() throws Exception {
        String workflowId = "local-" + UUID.randomUUID();
        LocalGreeting greeting = sdk.client.newWorkflowStub(LocalGreeting.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
        assertEquals("Hello, Aeon!", greeting.greet("Aeon"));

        WorkflowExecutionHistory history = sdk.client.fetchHistory(workflowId);
        HistoryEvent marker = history.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED).findFirst().orElseThrow();
        assertFalse(marker.getMarkerRecordedEventAttributes().hasFailure(), "a successful local activity has no failure");
        assertFalse(marker.getMarkerRecordedEventAttributes().hasHeader(), "the command carried no header");
        HistoryEvent completed = history.getLastEvent();
        assertTrue(completed.getWorkflowExecutionCompletedEventAttributes().hasResult());

        WorkflowReplayer.replayWorkflowExecution(history, LocalGreetingImpl.class);
    }

    /** The Go SDK reads response.History.Events with no nil check: an answer without `history` panics it. */
    @Test
    void aResultLongPollThatEndsWithoutTheCloseEventStillCarriesAHistory() {
        String workflowId = "waiting-" + UUID.randomUUID();
        Waiting waiting = sdk.client.newWorkflowStub(Waiting.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
        WorkflowExecution execution = WorkflowClient.start(waiting::waitForRelease);

        GetWorkflowExecutionHistoryResponse response = sdk.service.blockingStub()
                .withDeadlineAfter(3, TimeUnit.SECONDS)
                .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(NAMESPACE).setExecution(execution).setWaitNewEvent(true)
                        .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                        .build());
        assertTrue(response.hasHistory(), "history is set (empty) as Temporal sets it");
        assertEquals(0, response.getHistory().getEventsCount());
        assertFalse(response.getNextPageToken().isEmpty(), "the client polls again with the token");

        // With less time left than an answer needs, the call is held to the deadline (no empty answer at once,
        // which made clients poll again at once in a loop) and ends DEADLINE_EXCEEDED, as on Temporal's server.
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                .withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(NAMESPACE).setExecution(execution).setWaitNewEvent(true)
                        .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                        .build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());

        waiting.release();
        WorkflowStub.fromTyped(waiting).getResult(Void.class);
    }

    @Test
    void aMalformedRunIdIsInvalidArgumentBeforeAnyLookup() {
        for (String workflowId : List.of("no-such-workflow-" + UUID.randomUUID(), "")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId("not-a-uuid"))
                            .build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals(workflowId.isEmpty() ? "WorkflowId is not set on request." : "Invalid RunId.",
                    e.getStatus().getDescription());
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("w").setRunId("123")).build()));
        assertEquals("Invalid RunId.", e.getStatus().getDescription());
        // A well-formed run id that does not exist is still NOT_FOUND.
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> sdk.service.blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("no-such-" + UUID.randomUUID())
                                .setRunId(UUID.randomUUID().toString())).build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    }
}
