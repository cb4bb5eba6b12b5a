package dev.aeon.dataplane.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aeon.dataplane.TestTenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.nexusrpc.Operation;
import io.nexusrpc.OperationException;
import io.nexusrpc.Service;
import io.nexusrpc.handler.HandlerException;
import io.nexusrpc.handler.OperationHandler;
import io.nexusrpc.handler.OperationImpl;
import io.nexusrpc.handler.ServiceImpl;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.nexus.v1.Response;
import io.temporal.api.nexus.v1.StartOperationResponse;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondNexusTaskCompletedRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.nexus.Nexus;
import io.temporal.nexus.WorkflowRunOperation;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler side of Nexus with the real Java SDK: a handler worker ({@code @ServiceImpl}, a synchronous operation
 * and a workflow-run operation) answers operations called over HTTP on the endpoint's URL the way Temporal's Nexus
 * HTTP client calls them (nexus-rpc SPEC.md: JSON content, {@code Request-Timeout}, {@code Nexus-Operation-Token}).
 */
@QuarkusTest
class NexusHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String NAMESPACE = TestTenant.namespace("nexus-handlers-" + SUFFIX);
    private static final String TASK_QUEUE = "nexus-handlers";
    private static final String ENDPOINT = "ep" + SUFFIX;
    /** An endpoint whose task queue no worker polls. */
    private static final String IDLE_ENDPOINT = "idle" + SUFFIX;

    @Service
    public interface GreetingService {
        @Operation
        String hello(String name);

        @Operation
        String greetLater(String name);

        @Operation
        String refuse(String name);

        @Operation
        String fail(String name);
    }

    @WorkflowInterface
    public interface GreetingWorkflow {
        @WorkflowMethod
        String greet(String name);

        @SignalMethod
        void finish();
    }

    public static class GreetingWorkflowImpl implements GreetingWorkflow {
        private boolean finished;

        @Override
        public String greet(String name) {
            Workflow.await(() -> finished);
            return "Hello later, " + name;
        }

        @Override
        public void finish() {
            finished = true;
        }
    }

    @ServiceImpl(service = GreetingService.class)
    public static class GreetingServiceImpl {
        @OperationImpl
        public OperationHandler<String, String> hello() {
            return OperationHandler.sync((context, details, name) -> "Hello, " + name);
        }

        @OperationImpl
        public OperationHandler<String, String> greetLater() {
            return WorkflowRunOperation.fromWorkflowMethod((context, details, name) ->
                    Nexus.getOperationContext().getWorkflowClient().newWorkflowStub(GreetingWorkflow.class,
                            WorkflowOptions.newBuilder().setWorkflowId("greet-" + name).build())::greet);
        }

        @OperationImpl
        public OperationHandler<String, String> refuse() {
            return OperationHandler.sync((context, details, name) -> {
                throw new HandlerException(HandlerException.ErrorType.BAD_REQUEST, "no greeting for " + name,
                        HandlerException.RetryBehavior.NON_RETRYABLE);
            });
        }

        @OperationImpl
        public OperationHandler<String, String> fail() {
            return OperationHandler.sync((context, details, name) -> {
                throw OperationException.failed("cannot greet " + name);
            });
        }
    }

    private static SdkHarness sdk;

    @BeforeAll
    static void startHandlerWorker() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class);
            worker.registerNexusServiceImplementation(new GreetingServiceImpl());
        });
        provisionEndpoint(ENDPOINT, "greetings_" + SUFFIX, TASK_QUEUE);
        provisionEndpoint(IDLE_ENDPOINT, "idle_" + SUFFIX, "nobody-polls-" + SUFFIX);
    }

    @AfterAll
    static void stop() {
        sdk.close();
    }

    private static void provisionEndpoint(String id, String name, String taskQueue) {
        TestTenant.provisionNexusEndpoint(id, name, NAMESPACE, taskQueue, List.of());
    }

    private static URI base() {
        return URI.create(TestHTTPResourceManager.getUri());
    }

    private static HttpRequest.Builder operation(String endpoint, String operation) {
        return HttpRequest.newBuilder(base().resolve("/nexus/endpoints/" + endpoint + "/services/GreetingService/"
                        + operation))
                .header("Authorization", "Bearer " + TestTenant.apiKey())
                .header("Nexus-Request-Id", UUID.randomUUID().toString());
    }

    private static HttpRequest.Builder start(String endpoint, String operation, String name) {
        return operation(endpoint, operation).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(name)));
    }

    private static String json(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(70)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode body(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void aSynchronousOperationAnswersWithItsResult() throws IOException {
        HttpResponse<String> response = send(start(ENDPOINT, "hello", "Nexus"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("Hello, Nexus", JSON.readValue(response.body(), String.class));
    }

    @Test
    void aWorkflowRunOperationAnswersWithAnOperationTokenAndRunsTheWorkflow() throws IOException {
        String name = "async-" + SUFFIX;
        HttpResponse<String> response = send(start(ENDPOINT, "greetLater", name));
        assertEquals(201, response.statusCode(), response.body());
        JsonNode info = body(response);
        assertEquals("running", info.get("state").asText());
        JsonNode token = JSON.readTree(Base64.getUrlDecoder().decode(info.get("token").asText()));
        assertEquals("greet-" + name, token.get("wid").asText());
        assertEquals(NAMESPACE, token.get("ns").asText());

        var workflow = sdk.client.newWorkflowStub(GreetingWorkflow.class, "greet-" + name);
        workflow.finish();
        assertEquals("Hello later, " + name, io.temporal.client.WorkflowStub.fromTyped(workflow).getResult(String.class));
    }

    @Test
    void cancellingAWorkflowRunOperationCancelsTheWorkflow() throws IOException {
        String name = "cancel-" + SUFFIX;
        HttpResponse<String> started = send(start(ENDPOINT, "greetLater", name));
        assertEquals(201, started.statusCode(), started.body());
        String token = body(started).get("token").asText();

        HttpResponse<String> canceled = send(operation(ENDPOINT, "greetLater/cancel")
                .header("Nexus-Operation-Token", token).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, canceled.statusCode(), canceled.body());
        var workflow = sdk.client.newUntypedWorkflowStub("greet-" + name);
        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> workflow.getResult(10, TimeUnit.SECONDS, String.class));
        assertInstanceOf(CanceledFailure.class, failed.getCause());

        HttpResponse<String> noToken = send(operation(ENDPOINT, "greetLater/cancel")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, noToken.statusCode());
        assertEquals("missing operation token", body(noToken).get("message").asText());
    }

    @Test
    void handlerErrorsAndFailedOperationsAreAnsweredAsTemporalAnswersThem() throws IOException {
        HttpResponse<String> refused = send(start(ENDPOINT, "refuse", "Bob"));
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("false", refused.headers().firstValue("Nexus-Request-Retryable").orElseThrow());
        assertTrue(body(refused).get("message").asText().contains("no greeting for Bob"), refused.body());

        // The body is the worker's failure as it sent it: Java SDK 1.38 encodes an OperationException for a caller
        // without Temporal failure support as a nexus Failure of type temporal.api.failure.v1.Failure (with
        // nothing of the message in it), and Temporal's frontend passes that through unchanged.
        HttpResponse<String> failed = send(start(ENDPOINT, "fail", "Bob"));
        assertEquals(424, failed.statusCode(), failed.body());
        assertEquals("failed", failed.headers().firstValue("Nexus-Operation-State").orElseThrow());
        assertEquals("temporal.api.failure.v1.Failure", body(failed).get("metadata").get("type").asText(),
                failed.body());
    }

    @Test
    void anUnknownEndpointAndForeignOrMissingCredentialsAreRefused() throws IOException {
        HttpResponse<String> unknown = send(start("no-such-endpoint", "hello", "x"));
        assertEquals(404, unknown.statusCode());
        assertEquals("nexus endpoint not found", body(unknown).get("message").asText());
        assertEquals("nexus.HandlerError", body(unknown).get("metadata").get("type").asText());
        assertEquals("NOT_FOUND", body(unknown).get("details").get("type").asText());
        assertEquals("false", unknown.headers().firstValue("Nexus-Request-Retryable").orElseThrow());

        HttpResponse<String> get = send(operation(ENDPOINT, "hello").GET());
        assertEquals(400, get.statusCode(), get.body());
        assertEquals("invalid request method: expected POST, got GET", body(get).get("message").asText());

        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(base().resolve("/nexus/endpoints/" + ENDPOINT
                + "/services/GreetingService/hello")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("\"x\"")));
        assertEquals(401, anonymous.statusCode(), anonymous.body());

        // another account's key learns nothing: the endpoint does not exist for it
        HttpResponse<String> foreign = send(start(ENDPOINT, "hello", "x")
                .setHeader("Authorization", "Bearer " + TestTenant.ownerKey("strangers")));
        assertEquals(404, foreign.statusCode(), foreign.body());
        assertEquals("nexus endpoint not found", body(foreign).get("message").asText());
    }

    @Test
    void withoutAWorkerTheRequestEndsAtItsTimeoutAsAnUpstreamTimeout() throws IOException {
        long begin = System.nanoTime();
        HttpResponse<String> response = send(start(IDLE_ENDPOINT, "hello", "x").header("Request-Timeout", "1s"));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertEquals(520, response.statusCode(), response.body());
        assertEquals("upstream timeout", body(response).get("message").asText());
        assertTrue(elapsed >= 900 && elapsed < 5000, "answered after " + elapsed + " ms");

        HttpResponse<String> bad = send(start(IDLE_ENDPOINT, "hello", "x").header("Request-Timeout", "soon"));
        assertEquals(400, bad.statusCode());
        assertEquals("invalid request timeout header", body(bad).get("message").asText());
    }

    @Test
    void anInputOverTemporalsLimitIsABadRequest() throws IOException {
        String big = "\"" + "x".repeat(2 * 1024 * 1024) + "\"";
        HttpResponse<String> response = send(operation(IDLE_ENDPOINT, "hello").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big)));
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("input exceeds size limit", body(response).get("message").asText());
    }

    /** Temporal's task timeout: the worker is told the time left; an answer after it finds the task gone. */
    @Test
    void aWorkerSeesTheRequestTimeoutAndALateAnswerFindsNothing() throws Exception {
        var worker = sdk.service.blockingStub();
        CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() ->
                send(start(IDLE_ENDPOINT, "hello", "late").header("Request-Timeout", "2s")
                        .header("X-Tenant-Header", "kept")));
        PollNexusTaskQueueResponse task = worker.withDeadlineAfter(20, TimeUnit.SECONDS).pollNexusTaskQueue(
                PollNexusTaskQueueRequest.newBuilder().setNamespace(NAMESPACE).setIdentity("raw-worker")
                        .setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls-" + SUFFIX)).build());
        assertEquals("hello", task.getRequest().getStartOperation().getOperation());
        assertEquals("GreetingService", task.getRequest().getStartOperation().getService());
        assertEquals("\"late\"", task.getRequest().getStartOperation().getPayload().getData().toStringUtf8());
        assertEquals("json/plain", task.getRequest().getStartOperation().getPayload().getMetadataOrThrow("encoding")
                .toStringUtf8());
        String timeout = task.getRequest().getHeaderOrThrow("Request-Timeout");
        assertTrue(timeout.endsWith("ms") && Long.parseLong(timeout.replace("ms", "")) <= 2000, timeout);
        assertEquals("kept", task.getRequest().getHeaderOrThrow("x-tenant-header"));
        assertTrue(!task.getRequest().containsHeader("authorization"), "the caller's key reached the handler");

        assertEquals(520, call.get(10, TimeUnit.SECONDS).statusCode());
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class, () ->
                worker.respondNexusTaskCompleted(RespondNexusTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE)
                        .setTaskToken(task.getTaskToken()).setResponse(Response.newBuilder().setStartOperation(
                                StartOperationResponse.newBuilder().setSyncSuccess(
                                        StartOperationResponse.Sync.getDefaultInstance()))).build()));
        assertEquals(Status.Code.NOT_FOUND, late.getStatus().getCode());
        assertEquals("Nexus task not found or already expired", late.getStatus().getDescription());
    }

    @Test
    void describeTaskQueueShowsTheNexusPollers() {
        send(start(ENDPOINT, "hello", "describe")); // the worker has polled by now
        List<PollerInfo> pollers = sdk.service.blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE))
                .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_NEXUS).build()).getPollersList();
        assertEquals(1, pollers.size(), pollers.toString());
        assertTrue(!pollers.get(0).getIdentity().isEmpty());
    }
}
