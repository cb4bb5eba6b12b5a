package dev.aeon.dataplane.frontend;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.RawBytes;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The gRPC edge against malformed input, with authentication on and the tenant owner's key: garbage and truncated
 * protobuf bytes (sent through a marshaller that passes any bytes), every field filled with junk or with oversize
 * strings, bad task tokens and page tokens. No answer may be a server error (INTERNAL, UNKNOWN, DATA_LOSS): a
 * malformed request is the client's fault and says so (INVALID_ARGUMENT naming the field, or Temporal's code for
 * the case: NOT_FOUND for what does not exist, UNIMPLEMENTED for what Aeon does not serve).
 * The inputs come from a fixed seed, so a failure reproduces.
 */
@QuarkusTest
class MalformedRequestsTest {

    private static final long SEED = 20261201L;
    private static final String NAMESPACE = TestTenant.namespace("malformed");
    private static final Set<Status.Code> SERVER_ERRORS = Set.of(Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.DATA_LOSS);
    /** Longer than Cassandra's 64 KiB key limit and Temporal's 1,000-character id limit. */
    private static final String OVERSIZE = "x".repeat(70_000);
    private static boolean provisioned;

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int port;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        if (!provisioned) {
            TestTenant.provision(NAMESPACE);
            provisioned = true;
        }
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void garbageAndTruncatedBytesAreTheClientsFault() {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : unaryMethods()) {
            byte[] valid = filled(prototype(method), random, false).toByteArray();
            for (int i = 0; i < 6; i++) {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                check(method, garbage, "random bytes", failures);
            }
            for (int i = 0; i < 6 && valid.length > 1; i++) {
                byte[] truncated = java.util.Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1));
                check(method, truncated, "truncated", failures);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " server errors:\n" + String.join("\n", failures));
    }

    @Test
    void junkAndOversizeFieldsAreTheClientsFault() {
        Random random = new Random(SEED + 1);
        List<String> failures = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : unaryMethods()) {
            for (int i = 0; i < 4; i++) {
                check(method, filled(prototype(method), random, false).toByteArray(), "junk fields", failures);
            }
            check(method, filled(prototype(method), random, true).toByteArray(), "oversize strings", failures);
        }
        assertTrue(failures.isEmpty(), failures.size() + " server errors:\n" + String.join("\n", failures));
    }

    @Test
    void oversizeIdsAndNamesAreRefusedNamingTheField() {
        var stub = TestTenant.asOwnerOf(TestTenant.ACCOUNT, WorkflowServiceGrpc.newBlockingStub(channel))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        StartWorkflowExecutionRequest start = StartWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowId("w-" + UUID.randomUUID()).setWorkflowType(WorkflowType.newBuilder().setName("T"))
                .setTaskQueue(TaskQueue.newBuilder().setName("q")).setRequestId(UUID.randomUUID().toString()).build();
        assertInvalid(() -> stub.startWorkflowExecution(start.toBuilder().setWorkflowId(OVERSIZE).build()),
                "workflow_id");
        assertInvalid(() -> stub.startWorkflowExecution(start.toBuilder()
                .setTaskQueue(TaskQueue.newBuilder().setName(OVERSIZE)).build()), "task_queue.name");
        assertInvalid(() -> stub.startWorkflowExecution(start.toBuilder()
                .setWorkflowType(WorkflowType.newBuilder().setName(OVERSIZE)).build()), "workflow_type.name");
        assertInvalid(() -> stub.startWorkflowExecution(start.toBuilder().setRequestId(OVERSIZE).build()),
                "request_id");
        assertInvalid(() -> stub.startWorkflowExecution(start.toBuilder().setNamespace(OVERSIZE).build()),
                "namespace");
        String runId = stub.startWorkflowExecution(start).getRunId();
        WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId(start.getWorkflowId())
                .setRunId(runId).build();
        assertInvalid(() -> stub.signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).setSignalName(OVERSIZE).build()),
                "signal_name");
        assertInvalid(() -> stub.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(execution)
                .setNextPageToken(ByteString.copyFromUtf8("not a page token")).build()), "next_page_token");
        // Page tokens of the right length but no position this server gave out.
        for (long position : new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}) {
            ByteString token = ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(position).array());
            assertNotAServerError(() -> stub.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest
                    .newBuilder().setNamespace(NAMESPACE).setExecution(execution).setNextPageToken(token).build()));
            assertNotAServerError(() -> stub.getWorkflowExecutionHistoryReverse(
                    io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest.newBuilder()
                            .setNamespace(NAMESPACE).setExecution(execution).setNextPageToken(token).build()));
        }
        assertInvalid(() -> stub.respondActivityTaskCompleted(RespondActivityTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(ByteString.copyFromUtf8("not a task token")).build()),
                "task_token");
    }

    private static void assertNotAServerError(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertTrue(!SERVER_ERRORS.contains(e.getStatus().getCode()), String.valueOf(e.getStatus()));
        }
    }

    private static void assertInvalid(Runnable call, String field) {
        try {
            call.run();
            fail("accepted; expected INVALID_ARGUMENT naming " + field);
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), String.valueOf(e.getStatus()));
            assertTrue(e.getStatus().getDescription().toLowerCase().contains(field.toLowerCase()),
                    "the message names " + field + ": " + e.getStatus().getDescription());
        }
    }

    /** Sends {@code body} as the request of {@code method}, as the owner; records a server error. */
    private void check(MethodDescriptor<?, ?> method, byte[] body, String what, List<String> failures) {
        MethodDescriptor<byte[], byte[]> raw = RawBytes.of(method);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + TestTenant.apiKey());
        headers.put(Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER), NAMESPACE);
        try {
            // Long polls answer empty a second before the deadline; a short one keeps the run short.
            ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                    MetadataUtils.newAttachHeadersInterceptor(headers)), raw,
                    CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), body);
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (SERVER_ERRORS.contains(status.getCode())
                    || status.getCode() == Status.Code.INVALID_ARGUMENT && isBlank(status.getDescription())) {
                failures.add(method.getBareMethodName() + " (" + what + ", " + body.length + " bytes): " + status);
            }
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    /** Every unary RPC of both services on the frontend port. */
    private static List<MethodDescriptor<?, ?>> unaryMethods() {
        return java.util.stream.Stream.concat(WorkflowServiceGrpc.getServiceDescriptor().getMethods().stream(),
                        io.temporal.api.operatorservice.v1.OperatorServiceGrpc.getServiceDescriptor().getMethods().stream())
                .filter(m -> m.getType() == MethodDescriptor.MethodType.UNARY)
                .<MethodDescriptor<?, ?>>map(m -> m).toList();
    }

    private static Message prototype(MethodDescriptor<?, ?> method) {
        return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
    }

    /**
     * {@code prototype} with its namespace set to the tenant's, every other string junk (or oversize), every bytes
     * field (task tokens, page tokens, payloads) random, numbers random, and nested messages filled two levels deep.
     */
    private static Message filled(Message prototype, Random random, boolean oversize) {
        return fill(prototype.newBuilderForType(), random, oversize, 0).build();
    }

    private static Message.Builder fill(Message.Builder builder, Random random, boolean oversize, int depth) {
        for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
            if (field.isMapField() || field.getRealContainingOneof() != null && random.nextBoolean()) {
                continue;
            }
            Object value = value(builder, field, random, oversize, depth);
            if (value == null) {
                continue;
            }
            if (field.isRepeated()) {
                builder.addRepeatedField(field, value);
            } else {
                builder.setField(field, value);
            }
        }
        return builder;
    }

    private static Object value(Message.Builder builder, FieldDescriptor field, Random random, boolean oversize,
                                int depth) {
        return switch (field.getJavaType()) {
            case STRING -> field.getName().equals("namespace") ? NAMESPACE
                    : oversize ? OVERSIZE : junk(random);
            case BYTE_STRING -> {
                byte[] bytes = new byte[random.nextInt(48)];
                random.nextBytes(bytes);
                yield ByteString.copyFrom(bytes);
            }
            case INT -> random.nextBoolean() ? random.nextInt() : random.nextInt(5);
            case LONG -> random.nextBoolean() ? random.nextLong() : (long) random.nextInt(5);
            case BOOLEAN -> random.nextBoolean();
            case FLOAT -> random.nextFloat();
            case DOUBLE -> random.nextDouble();
            case ENUM -> field.getEnumType().getValues().get(random.nextInt(field.getEnumType().getValues().size()));
            case MESSAGE -> depth >= 2 ? null
                    : fill(builder.newBuilderForField(field), random, oversize, depth + 1).build();
        };
    }

    private static String junk(Random random) {
        String[] choices = {"", " ", "x", "../..", "a.b.c", "\u0000", "ünïcødé", "%s%n", "w-" + random.nextInt(1000),
                UUID.randomUUID().toString()};
        return choices[random.nextInt(choices.length)];
    }
}
