package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search attributes a workflow sets are checked against the types its namespace registered, through the real Java
 * SDK, as Temporal checks them: a start is INVALID_ARGUMENT with Temporal's message, a command fails the workflow
 * task with its cause (BAD_SEARCH_ATTRIBUTES for an upsert) and Temporal's message; what SDKs set themselves
 * (TemporalChangeVersion for versions) keeps working.
 */
@QuarkusTest
class SearchAttributeValidationTest {

    static final String NAMESPACE = TestTenant.namespace("search-attributes");
    static final String TASK_QUEUE = "search-attribute-validation";
    static final SearchAttributeKey<String> CUSTOMER = SearchAttributeKey.forKeyword("CustomerId");
    static final SearchAttributeKey<Long> AMOUNT = SearchAttributeKey.forLong("Amount");
    static final SearchAttributeKey<String> UNREGISTERED = SearchAttributeKey.forKeyword("Unregistered");
    static final SearchAttributeKey<String> AMOUNT_AS_TEXT = SearchAttributeKey.forKeyword("Amount");

    private static SdkHarness sdk;

    @WorkflowInterface
    public interface Upserting {
        /**
         * After a version marker, sets what it is told: "good", "unregistered", "wrong-type", "too-big" (upserts),
         * "child" (a child's attributes), "continue" (the next run's).
         */
        @WorkflowMethod
        String run(String what);
    }

    public static class UpsertingImpl implements Upserting {
        @Override
        public String run(String what) {
            int version = Workflow.getVersion("upserts", Workflow.DEFAULT_VERSION, 1);
            switch (what) {
                case "good" -> Workflow.upsertTypedSearchAttributes(CUSTOMER.valueSet("c-42"), AMOUNT.valueSet(7L));
                case "unregistered" -> Workflow.upsertTypedSearchAttributes(UNREGISTERED.valueSet("x"));
                case "wrong-type" -> Workflow.upsertTypedSearchAttributes(AMOUNT_AS_TEXT.valueSet("seven"));
                case "too-big" -> Workflow.upsertTypedSearchAttributes(CUSTOMER.valueSet("x".repeat(3000)));
                case "continue" -> Workflow.continueAsNew(io.temporal.workflow.ContinueAsNewOptions.newBuilder()
                        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(UNREGISTERED, "x").build())
                        .build(), "good");
                case "child" -> Workflow.newChildWorkflowStub(Upserting.class, ChildWorkflowOptions.newBuilder()
                        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(UNREGISTERED, "x").build())
                        .build()).run("good");
                default -> throw new IllegalArgumentException(what);
            }
            return "v" + version + " " + Workflow.getTypedSearchAttributes().get(CUSTOMER);
        }
    }

    @BeforeAll
    static void startWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, w -> w.registerWorkflowImplementationTypes(UpsertingImpl.class));
        TestTenant.provision(NAMESPACE, Map.of("CustomerId", "Keyword", "Amount", "Int"));
    }

    @AfterAll
    static void stopWorker() {
        sdk.close();
    }

    @Test
    void aStartTakesRegisteredAttributesOfTheirTypeAndRefusesOthers() {
        // Registered attributes of their type, upserted too, beside the version marker the SDK upserts.
        Upserting workflow = sdk.client.newWorkflowStub(Upserting.class, options()
                .setTypedSearchAttributes(SearchAttributes.newBuilder().set(CUSTOMER, "c-1").build()).build());
        assertEquals("v1 c-42", workflow.run("good"));

        assertRefused("Namespace " + NAMESPACE + " has no mapping defined for search attribute Unregistered",
                SearchAttributes.newBuilder().set(UNREGISTERED, "x").build());
        assertRefused("invalid value for search attribute Amount of type Int: seven",
                SearchAttributes.newBuilder().set(AMOUNT_AS_TEXT, "seven").build());
        assertRefused("TemporalWorkerDeployment attribute can't be set in SearchAttributes", SearchAttributes.newBuilder()
                .set(SearchAttributeKey.forKeyword("TemporalWorkerDeployment"), "mine").build());
        assertRefused("search attribute CustomerId value size 3002 exceeds size limit 2048",
                SearchAttributes.newBuilder().set(CUSTOMER, "x".repeat(3000)).build());

        WorkflowStub signalWithStart = sdk.client.newUntypedWorkflowStub("Upserting", options()
                .setTypedSearchAttributes(SearchAttributes.newBuilder().set(UNREGISTERED, "x").build()).build());
        WorkflowServiceException refused = assertThrows(WorkflowServiceException.class,
                () -> signalWithStart.signalWithStart("nothing", new Object[0], new Object[]{"good"}));
        assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(refused.getCause()).getCode());
    }

    @Test
    void anUpsertOfAnUnregisteredOrMistypedAttributeFailsTheWorkflowTask() {
        assertTaskFailed("unregistered", WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES,
                "Namespace " + NAMESPACE + " has no mapping defined for search attribute Unregistered");
        assertTaskFailed("wrong-type", WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES,
                "invalid value for search attribute Amount of type Int: seven");
        assertTaskFailed("child", WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES,
                "Namespace " + NAMESPACE + " has no mapping defined for search attribute Unregistered");
        assertTaskFailed("continue", WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES,
                "Namespace " + NAMESPACE + " has no mapping defined for search attribute Unregistered");
    }

    @Test
    void anUpsertPastTheSizeLimitFailsTheTaskAndTerminatesTheRun() {
        Upserting workflow = sdk.client.newWorkflowStub(Upserting.class, options().build());
        WorkflowExecution run = WorkflowClient.start(workflow::run, "too-big");
        String why = "search attribute CustomerId value size 3002 exceeds size limit 2048";
        HistoryEvent failed = awaitTaskFailure(run);
        assertEquals(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES,
                failed.getWorkflowTaskFailedEventAttributes().getCause());
        assertEquals(why, failed.getWorkflowTaskFailedEventAttributes().getFailure().getMessage());
        HistoryEvent last = history(run).get(history(run).size() - 1);
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, last.getEventType());
        assertEquals("BadSearchAttributes: " + why, last.getWorkflowExecutionTerminatedEventAttributes().getReason());
        assertEquals("history-service", last.getWorkflowExecutionTerminatedEventAttributes().getIdentity());
    }

    private static List<HistoryEvent> history(WorkflowExecution run) {
        return sdk.service.blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(run).build()).getHistory().getEventsList();
    }

    private static WorkflowOptions.Builder options() {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("sa-" + UUID.randomUUID())
                .setWorkflowRunTimeout(Duration.ofMinutes(1));
    }

    private static void assertRefused(String message, SearchAttributes attributes) {
        Upserting workflow = sdk.client.newWorkflowStub(Upserting.class,
                options().setTypedSearchAttributes(attributes).build());
        WorkflowServiceException refused = assertThrows(WorkflowServiceException.class,
                () -> WorkflowClient.start(workflow::run, "good"));
        StatusRuntimeException status = (StatusRuntimeException) refused.getCause();
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode(), status.toString());
        assertEquals(message, status.getStatus().getDescription());
    }

    /** Starts a workflow that upserts {@code what} and waits for its first workflow task to fail. */
    private static void assertTaskFailed(String what, WorkflowTaskFailedCause cause, String message) {
        Upserting workflow = sdk.client.newWorkflowStub(Upserting.class, options().build());
        WorkflowExecution run = WorkflowClient.start(workflow::run, what);
        try {
            HistoryEvent failed = awaitTaskFailure(run);
            assertEquals(cause, failed.getWorkflowTaskFailedEventAttributes().getCause());
            assertEquals(message, failed.getWorkflowTaskFailedEventAttributes().getFailure().getMessage());
        } finally {
            WorkflowStub.fromTyped(workflow).terminate("test over");
        }
    }

    private static HistoryEvent awaitTaskFailure(WorkflowExecution run) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (HistoryEvent event : history(run)) {
                if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
                    return event;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no workflow task failed in " + run.getWorkflowId());
    }
}
