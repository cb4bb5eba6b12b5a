package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Temporal's hello-world with one activity, run by the real Java SDK against the data plane. */
@QuarkusTest
public class HelloActivityTest {

    static final String NAMESPACE = TestTenant.namespace("hello");
    static final String TASK_QUEUE = "hello-activity";

    @WorkflowInterface
    public interface Greeting {
        @WorkflowMethod
        String greet(String name);
    }

    @ActivityInterface
    public interface Greeter {
        String compose(String greeting, String name);
    }

    public static class GreetingImpl implements Greeting {
        private final Greeter greeter = Workflow.newActivityStub(Greeter.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String greet(String name) {
            return greeter.compose("Hello", name);
        }
    }

    public static class GreeterImpl implements Greeter {
        @Override
        public String compose(String greeting, String name) {
            return greeting + ", " + name + "!";
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(GreetingImpl.class);
            worker.registerActivitiesImplementations(new GreeterImpl());
        });
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void workflowWithOneActivityCompletesWithTemporalsHistory() throws Exception {
        String workflowId = "hello-" + UUID.randomUUID();
        Greeting greeting = sdk.client.newWorkflowStub(Greeting.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());

        assertEquals("Hello, Aeon!", greeting.greet("Aeon"));

        WorkflowExecutionHistory history = sdk.client.fetchHistory(workflowId);
        List<EventType> types = history.getEvents().stream().map(HistoryEvent::getEventType).toList();
        assertEquals(List.of(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
                EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED), types);
        for (int i = 0; i < types.size(); i++) {
            assertEquals(i + 1, history.getEvents().get(i).getEventId(), "event ids are consecutive from 1");
        }

        WorkflowReplayer.replayWorkflowExecution(history, GreetingImpl.class);
    }
}
