package dev.aeon.common.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests whose bytes are not the RPC's protobuf message are the client's error: INVALID_ARGUMENT naming the
 * message type and what the parser found. gRPC itself answers them with a server error (grpc-java's own server:
 * UNKNOWN "Application error processing RPC"; on Vert.x: INTERNAL "Half-closed without a request"), because the
 * parse fails inside its own listener, where no interceptor can catch it; SDKs retry server errors.
 *
 * <p>So the service's marshallers never throw: a request that does not parse becomes the message's default
 * instance carrying the parser's complaint in an unknown field no Temporal message uses, which passes the
 * interceptors (authentication still decides first) and is refused before the handler sees it.
 */
public final class RequestParsing {

    /** The largest field number protobuf allows; Temporal's messages number their fields from 1 upwards. */
    private static final int COMPLAINT_FIELD = (1 << 29) - 1;

    private RequestParsing() {
    }

    /** {@code service} with marshallers that never throw and handlers that refuse what did not parse. */
    public static ServerServiceDefinition refusingMalformedRequests(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            methods.add(wrap(method));
        }
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        ServerServiceDefinition.Builder wrapped = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(wrapped::addMethod);
        return wrapped.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> wrap(ServerMethodDefinition<Q, R> definition) {
        MethodDescriptor<Q, R> method = definition.getMethodDescriptor();
        MethodDescriptor<Q, R> lenient = method.toBuilder(new Lenient<>(method.getRequestMarshaller()),
                method.getResponseMarshaller()).build();
        ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
        return ServerMethodDefinition.create(lenient, (call, headers) -> refuseMalformed(call, headers, handler));
    }

    private static <Q, R> ServerCall.Listener<Q> refuseMalformed(ServerCall<Q, R> call, Metadata headers,
                                                                 ServerCallHandler<Q, R> handler) {
        return new RefusingListener<>(call, handler.startCall(call, headers), message -> {
            String complaint = complaint(message);
            return complaint == null ? null : Status.INVALID_ARGUMENT.withDescription("request is not a valid "
                    + ((Message) message).getDescriptorForType().getFullName() + ": " + complaint);
        });
    }

    private static String complaint(Object message) {
        if (message instanceof Message proto && proto.getUnknownFields().hasField(COMPLAINT_FIELD)) {
            List<ByteString> values = proto.getUnknownFields().getField(COMPLAINT_FIELD).getLengthDelimitedList();
            return values.isEmpty() ? "malformed" : values.get(0).toStringUtf8();
        }
        return null;
    }

    /** The RPC's own marshaller, except that bytes it cannot parse become a request carrying the complaint. */
    private record Lenient<Q>(MethodDescriptor.Marshaller<Q> proto) implements MethodDescriptor.PrototypeMarshaller<Q> {

        @Override
        public InputStream stream(Q value) {
            return proto.stream(value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Q parse(InputStream stream) {
            try {
                return proto.parse(stream);
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String complaint = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                return (Q) ((Message) getMessagePrototype()).toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(COMPLAINT_FIELD, UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8(complaint)).build()).build()).build();
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public Q getMessagePrototype() {
            return ((MethodDescriptor.PrototypeMarshaller<Q>) proto).getMessagePrototype();
        }

        @Override
        public Class<Q> getMessageClass() {
            return ((MethodDescriptor.PrototypeMarshaller<Q>) proto).getMessageClass();
        }
    }
}
