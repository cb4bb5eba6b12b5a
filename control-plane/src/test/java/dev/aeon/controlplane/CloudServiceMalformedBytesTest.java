package dev.aeon.controlplane;

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
import io.restassured.RestAssured;
import io.temporal.api.cloud.cloudservice.v1.CloudServiceGrpc;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceRequest;
import io.temporal.api.cloud.namespace.v1.ApiKeyAuthSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gRPC face of the Cloud Ops API against bytes that are not the RPC's message (random, and truncations of a
 * real request), with an account owner's key, through a marshaller that sends any bytes: no server error (INTERNAL,
 * UNKNOWN, DATA_LOSS). Schemathesis covers the REST face; this is the same API's other door.
 */
@QuarkusTest
class CloudServiceMalformedBytesTest {

    private static final Set<Status.Code> SERVER_ERRORS = Set.of(Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.DATA_LOSS);

    @Test
    void bytesThatAreNotTheMessageAreTheClientsFault() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + CloudApi.newAccount("bytes"));
        var authorized = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        byte[] valid = CreateNamespaceRequest.newBuilder().setAsyncOperationId("op-1").setSpec(NamespaceSpec.newBuilder()
                .setName("bytes").setRetentionDays(7).setApiKeyAuth(ApiKeyAuthSpec.newBuilder().setEnabled(true))
                .addRegions("aws-us-east-1")).build().toByteArray();
        Random random = new Random(20261201L);
        List<String> failures = new ArrayList<>();
        try {
            for (var method : CloudServiceGrpc.getServiceDescriptor().getMethods()) {
                MethodDescriptor<byte[], byte[]> raw = RawBytes.of(method);
                List<byte[]> inputs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    byte[] garbage = new byte[1 + random.nextInt(64)];
                    random.nextBytes(garbage);
                    inputs.add(garbage);
                    inputs.add(Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)));
                }
                for (byte[] input : inputs) {
                    try {
                        ClientCalls.blockingUnaryCall(authorized, raw,
                                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), input);
                    } catch (StatusRuntimeException e) {
                        if (SERVER_ERRORS.contains(e.getStatus().getCode())) {
                            failures.add(method.getBareMethodName() + " (" + input.length + " bytes): "
                                    + e.getStatus());
                        }
                    }
                }
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertTrue(failures.isEmpty(), failures.size() + " server errors:\n" + String.join("\n", failures));
    }
}
