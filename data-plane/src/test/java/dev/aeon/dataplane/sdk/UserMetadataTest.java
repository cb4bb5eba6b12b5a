package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.UserMetadata;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.TimerOptions;
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
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * User metadata (summary, details) as Temporal records it: a start's on the started event and in describe's
 * execution config, a command's on the event it wrote (timer, activity, local activity marker, child), a child's
 * static summary on the child's own started event too. UIs and the SDKs read them back from there.
 */
@QuarkusTest
class UserMetadataTest {

    static final String NAMESPACE = TestTenant.namespace("user-metadata");
    static final String TASK_QUEUE = "user-metadata";

    @WorkflowInterface
    public interface Annotated {
        @WorkflowMethod
        String run(String childId);
    }

    @WorkflowInterface
    public interface Child {
        @WorkflowMethod
        String work();
    }

    @ActivityInterface
    public interface Steps {
        @ActivityMethod
        String step(String name);
    }

    public static class StepsImpl implements Steps {
        @Override
        public String step(String name) {
            return name;
        }
    }

    public static class ChildImpl implements Child {
        @Override
        public String work() {
            return "child";
        }
    }

    public static class AnnotatedImpl implements Annotated {
        @Override
        public String run(String childId) {
            Workflow.newTimer(Duration.ofMillis(10), TimerOptions.newBuilder().setSummary("timer summary").build()).get();
            String remote = Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).setSummary("activity summary").build()).step("remote");
            String local = Workflow.newLocalActivityStub(Steps.class, LocalActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).setSummary("local summary").build()).step("local");
            String child = Workflow.newChildWorkflowStub(Child.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(childId).setStaticSummary("child summary").setStaticDetails("child details").build())
                    .work();
            return remote + " " + local + " " + child;
        }
    }

    static SdkHarness sdk;

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(AnnotatedImpl.class, ChildImpl.class);
            worker.registerActivitiesImplementations(new StepsImpl());
        });
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void summariesAndDetailsReachTheirEventsAndDescribe() {
        String id = "annotated-" + UUID.randomUUID();
        String childId = id + "-child";

        assertEquals("remote local child", sdk.client.newWorkflowStub(Annotated.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(id).setStaticSummary("start summary")
                .setStaticDetails("start details").build()).run(childId));

        List<HistoryEvent> events = sdk.client.fetchHistory(id).getEvents();
        assertMetadata("start summary", "start details", only(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED));
        assertMetadata("start summary", "start details", describedMetadata(id));
        assertMetadata("timer summary", null, only(events, EventType.EVENT_TYPE_TIMER_STARTED));
        assertMetadata("activity summary", null, only(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
        assertMetadata("local summary", null, only(events, EventType.EVENT_TYPE_MARKER_RECORDED));
        assertMetadata("child summary", "child details",
                only(events, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));
        for (HistoryEvent event : events) {
            if (event.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED
                    || event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
                    || event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
                assertFalse(event.hasUserMetadata(), "only the event the command wrote carries it: " + event);
            }
        }

        List<HistoryEvent> childEvents = sdk.client.fetchHistory(childId).getEvents();
        assertMetadata("child summary", "child details",
                only(childEvents, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED));
        assertMetadata("child summary", "child details", describedMetadata(childId));
    }

    private static UserMetadata describedMetadata(String id) {
        return sdk.service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getExecutionConfig().getUserMetadata();
    }

    private static UserMetadata only(List<HistoryEvent> events, EventType type) {
        List<HistoryEvent> matching = events.stream().filter(e -> e.getEventType() == type).toList();
        assertEquals(1, matching.size(), type + " events");
        return matching.get(0).getUserMetadata();
    }

    private static void assertMetadata(String summary, String details, UserMetadata metadata) {
        assertEquals(summary, text(metadata.hasSummary() ? metadata.getSummary() : null), "summary");
        assertEquals(details, text(metadata.hasDetails() ? metadata.getDetails() : null), "details");
    }

    private static String text(Payload payload) {
        return payload == null ? null
                : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
    }
}
