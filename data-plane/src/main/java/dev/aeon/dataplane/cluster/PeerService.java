package dev.aeon.dataplane.cluster;

import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The data-plane nodes' own RPC: one node asks another to do something only that node can (it owns the shard of the
 * workflow concerned: start a child there, tell a parent its child closed, ...). One unary gRPC method on the
 * frontend port ({@link PeerEndpoint}), {@code aeon.cluster.Peer/Call}, carrying an operation's name and its arguments as bytes; every call
 * must carry the platform's internal token, so tenants cannot reach it. The components that own an operation
 * {@linkplain #handle register} it at start-up; errors travel as the gRPC status the handler threw, so a NOT_FOUND
 * on the owner is a NOT_FOUND here.
 */
@jakarta.enterprise.context.ApplicationScoped
public class PeerService {

    private static final Logger LOG = Logger.getLogger(PeerService.class);
    static final MethodDescriptor<byte[], byte[]> CALL = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("aeon.cluster.Peer", "Call"))
            .setRequestMarshaller(new BytesMarshaller()).setResponseMarshaller(new BytesMarshaller()).build();

    private final PeerChannels channels;
    private final Optional<String> internalToken;
    private final String nodeId;
    private final io.grpc.ClientInterceptor internalHeaders;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

    /** An operation: {@code work} answers at once (on {@code executor}) or later (its future, on no thread of its own). */
    private record Handler(Function<byte[], java.util.concurrent.CompletableFuture<byte[]>> work, Executor executor) {
    }

    public PeerService(PeerChannels channels, Membership membership,
                       @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken) {
        this.channels = channels;
        this.internalToken = internalToken;
        this.nodeId = membership.nodeId();
        Metadata headers = new Metadata();
        headers.put(ForwardedCalls.INTERNAL_TOKEN, internalToken.orElse(""));
        headers.put(ForwardedCalls.FORWARDED_BY, nodeId);
        this.internalHeaders = io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** Serves operation {@code name} with {@code work} on {@code executor} (it may block). */
    public void handle(String name, Function<byte[], byte[]> work, Executor executor) {
        handlers.put(name, new Handler(arguments -> java.util.concurrent.CompletableFuture.completedFuture(
                work.apply(arguments)), executor));
    }

    /**
     * Serves operation {@code name} with {@code work}, which must not block: it answers through its future (a long
     * poll, say, that waits for a task without holding a thread).
     */
    public void handleLater(String name, Function<byte[], java.util.concurrent.CompletableFuture<byte[]>> work) {
        handlers.put(name, new Handler(work, Runnable::run));
    }

    /** {@link #call} without blocking: the answer, or the failure, completes the future. */
    public java.util.concurrent.CompletableFuture<byte[]> callLater(Member node, String name, byte[] arguments,
                                                                   java.time.Duration timeout) {
        io.grpc.Channel channel = channelTo(node);
        java.util.concurrent.CompletableFuture<byte[]> answer = new java.util.concurrent.CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(CALL, CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(),
                TimeUnit.MILLISECONDS)), frame(name, arguments), new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(new byte[0]);
            }
        });
        return answer;
    }

    /**
     * Runs operation {@code name} on {@code node} and returns its answer. Blocks (at most 30 s); what the handler
     * threw as a gRPC status is thrown here, the node unreachable is UNAVAILABLE.
     */
    public byte[] call(Member node, String name, byte[] arguments) {
        return ClientCalls.blockingUnaryCall(channelTo(node), CALL,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), frame(name, arguments));
    }

    /** The channel to {@code node}, every call on it marked with the internal token and this node's id. */
    private io.grpc.Channel channelTo(Member node) {
        return io.grpc.ClientInterceptors.intercept(channels.to(node.address()), internalHeaders);
    }

    /** What {@link PeerEndpoint} serves. */
    ServerServiceDefinition definition() {
        ServerServiceDefinition definition = ServerServiceDefinition.builder("aeon.cluster.Peer")
                .addMethod(CALL, ServerCalls.asyncUnaryCall(this::serve)).build();
        return ServerInterceptors.intercept(definition, new InternalOnly());
    }

    private void serve(byte[] request, StreamObserver<byte[]> response) {
        String name;
        byte[] arguments;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(request))) {
            name = in.readUTF();
            arguments = in.readAllBytes();
        } catch (IOException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("malformed peer call").asRuntimeException());
            return;
        }
        Handler handler = handlers.get(name);
        if (handler == null) {
            response.onError(Status.UNIMPLEMENTED.withDescription("no peer operation " + name).asRuntimeException());
            return;
        }
        // The caller going away (cancelled, or its node gone) cancels a pending answer (a long poll's, say).
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<byte[]>> pending =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
        ((io.grpc.stub.ServerCallStreamObserver<byte[]>) response).setOnCancelHandler(() -> {
            gone.set(true);
            java.util.concurrent.CompletableFuture<byte[]> answer = pending.get();
            if (answer != null) {
                answer.cancel(false);
            }
        });
        try {
            handler.executor().execute(() -> {
                java.util.concurrent.CompletableFuture<byte[]> answer;
                try {
                    answer = handler.work().apply(arguments);
                } catch (RuntimeException e) {
                    answer = java.util.concurrent.CompletableFuture.failedFuture(e);
                }
                pending.set(answer);
                if (gone.get()) {
                    answer.cancel(false);
                }
                answer.whenComplete((bytes, error) -> {
                    if (gone.get()) {
                        return;
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause == null) {
                        response.onNext(bytes == null ? new byte[0] : bytes);
                        response.onCompleted();
                    } else if (cause instanceof StatusRuntimeException status) {
                        response.onError(status);
                    } else {
                        LOG.errorf(cause, "peer operation %s failed", name);
                        response.onError(Status.INTERNAL.withDescription(name + " failed on node " + nodeId + ": "
                                + cause.getMessage()).asRuntimeException());
                    }
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            response.onError(Status.UNAVAILABLE.withDescription("node " + nodeId + " is stopping").asRuntimeException());
        }
    }

    private static byte[] frame(String name, byte[] arguments) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(arguments.length + name.length() + 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(name);
            out.write(arguments);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Only nodes of this platform, which hold the internal token, may call. */
    private final class InternalOnly implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            if (!ForwardedCalls.isForwarded(headers, internalToken)) {
                call.close(Status.PERMISSION_DENIED.withDescription("internal to the data plane's nodes"),
                        new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
