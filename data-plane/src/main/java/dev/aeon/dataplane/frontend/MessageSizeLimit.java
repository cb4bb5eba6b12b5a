package dev.aeon.dataplane.frontend;

import com.google.protobuf.MessageLite;
import dev.aeon.common.grpc.RefusingListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Temporal's 4 MiB limit on a request, answered as INVALID_ARGUMENT naming the limit. The transport takes somewhat
 * larger messages ({@code quarkus.grpc.server.max-inbound-message-size}) so that an oversized request reaches this
 * check instead of being cut off with gRPC's bare RESOURCE_EXHAUSTED.
 */
@ApplicationScoped
@GlobalInterceptor
@Priority(Integer.MAX_VALUE - 2) // right after authentication, before anything reads the request
public class MessageSizeLimit implements ServerInterceptor {

    static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return new RefusingListener<>(call, next.startCall(call, headers), message -> {
            int size = message instanceof MessageLite proto ? proto.getSerializedSize() : 0;
            return size <= MAX_REQUEST_BYTES ? null : Status.INVALID_ARGUMENT.withDescription("request of " + size
                    + " bytes exceeds the gRPC message limit of " + MAX_REQUEST_BYTES + " bytes (4 MiB)");
        });
    }
}
