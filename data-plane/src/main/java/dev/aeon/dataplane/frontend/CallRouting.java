package dev.aeon.dataplane.frontend;

import dev.aeon.common.grpc.HeldListener;

import dev.aeon.dataplane.cluster.ForwardedCalls;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.cluster.PeerChannels;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;

/**
 * Any node takes any call: SDKs connect through one address (a Kubernetes Service, a load balancer, the launcher's
 * balancer), and a call that another node must serve is forwarded there, unchanged, over gRPC, marked with the
 * internal token; that node authenticates and authorizes it as if the caller had connected to it. Which node:
 * with shards spread, the one {@link CallRoutes} names (the owner of the workflow's shard, say); with one leader,
 * the leader, for every call. A forwarded call is never forwarded again: should ownership have moved meanwhile, the
 * node answers UNAVAILABLE and the SDK's retry finds the new owner (requests carry ids that make a retry apply once).
 *
 * <p>Outermost interceptor: nothing is authorized or parsed beyond the route on a node that forwards.
 */
@ApplicationScoped
@GlobalInterceptor
@Priority(Integer.MAX_VALUE)
public class CallRouting implements ServerInterceptor {

    /** Headers of the incoming call that are the transport's own, not the caller's. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("content-type", "user-agent", "te", "host",
            "grpc-accept-encoding", "grpc-encoding", "grpc-timeout", "accept-encoding");

    private final Membership membership;
    private final PeerChannels peers;
    private final Optional<String> internalToken;
    private final CallRoutes routes;
    private final HistoryEngine engine;

    public CallRouting(Membership membership, PeerChannels peers, CallRoutes routes, HistoryEngine engine,
                       @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken) {
        this.membership = membership;
        this.peers = peers;
        this.routes = routes;
        this.engine = engine;
        this.internalToken = internalToken;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        boolean temporalApi = WorkflowServiceGrpc.SERVICE_NAME.equals(service)
                || OperatorServiceGrpc.SERVICE_NAME.equals(service);
        if (!temporalApi || ForwardedCalls.isForwarded(headers, internalToken)) {
            return next.startCall(call, headers);
        }
        if (engine.shardsSpread()) {
            return WorkflowServiceGrpc.SERVICE_NAME.equals(service) ? new Routed<>(call, headers, next)
                    : next.startCall(call, headers);
        }
        if (membership.isLeader()) {
            return next.startCall(call, headers);
        }
        Optional<Member> leader = membership.leader();
        if (leader.isEmpty() || !forwards()) {
            call.close(Status.UNAVAILABLE.withDescription("no data-plane node serves workflows at the moment; retry"),
                    new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return new Forwarded<>(call, outgoing(call, headers), leader.get());
    }

    private boolean forwards() {
        return internalToken.filter(token -> !token.isEmpty()).isPresent();
    }

    private Metadata outgoing(ServerCall<?, ?> call, Metadata headers) {
        Metadata out = new Metadata();
        for (String key : headers.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Metadata.Key<byte[]> binary = Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER);
                headers.getAll(binary).forEach(value -> out.put(binary, value));
            } else if (!TRANSPORT_HEADERS.contains(key) && !key.startsWith("aeon-")) {
                Metadata.Key<String> text = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
                headers.getAll(text).forEach(value -> out.put(text, value));
            }
        }
        out.put(ForwardedCalls.FORWARDED_BY, membership.nodeId());
        out.put(ForwardedCalls.INTERNAL_TOKEN, internalToken.orElseThrow());
        X509Certificate[] chain = ForwardedCalls.peerChain(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (chain != null) {
            out.put(ForwardedCalls.CLIENT_CERTIFICATES, ForwardedCalls.encode(chain));
        }
        return out;
    }

    /**
     * A call whose route depends on its request: its events are held until the request arrived (and the namespace it
     * names is in memory), then served here or forwarded. WorkflowService methods are all unary.
     */
    private final class Routed<Q, R> extends HeldListener<Q> {

        private final ServerCall<Q, R> call;
        private final Metadata headers;
        private final ServerCallHandler<Q, R> next;
        private final io.vertx.core.Context eventLoop = Vertx.currentContext();
        private final Context grpcContext = Context.current();

        Routed(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            this.call = call;
            this.headers = headers;
            this.next = next;
            call.request(1);
        }

        @Override
        protected void sendingEnded() {
            String method = call.getMethodDescriptor().getBareMethodName();
            Optional<String> namespace = routes.uncachedNamespace(method, message());
            if (namespace.isEmpty()) {
                route(method);
                return;
            }
            engine.executor().execute(() -> {
                routes.load(namespace.get());
                Runnable resume = () -> route(method);
                if (eventLoop != null) {
                    eventLoop.runOnContext(ignored -> grpcContext.run(resume));
                } else {
                    grpcContext.run(resume);
                }
            });
        }

        private void route(String method) {
            Optional<Member> target = routes.target(method, message());
            handTo(() -> target.isPresent() && forwards()
                    ? new Forwarded<>(call, outgoing(call, headers), target.get())
                    : next.startCall(call, headers));
        }
    }

    /** One call relayed to another node: its request once it arrived, then that node's headers, response and status. */
    private final class Forwarded<Q, R> extends ServerCall.Listener<Q> {

        private final ServerCall<Q, R> call;
        private final ClientCall<Q, R> out;
        private final Metadata headers;
        private Q request;

        Forwarded(ServerCall<Q, R> call, Metadata headers, Member target) {
            this.call = call;
            this.headers = headers;
            Deadline deadline = Context.current().getDeadline();
            CallOptions options = deadline == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(deadline);
            this.out = peers.to(target.address()).newCall(call.getMethodDescriptor(), options);
            call.request(1);
        }

        @Override
        public void onMessage(Q message) {
            request = message;
        }

        @Override
        public void onHalfClose() {
            out.start(new ClientCall.Listener<>() {
                @Override
                public void onHeaders(Metadata responseHeaders) {
                    call.sendHeaders(responseHeaders);
                }

                @Override
                public void onMessage(R response) {
                    call.sendMessage(response);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    call.close(status, trailers);
                }
            }, headers);
            out.request(1);
            if (request != null) {
                out.sendMessage(request);
            }
            out.halfClose();
        }

        @Override
        public void onCancel() {
            out.cancel("the caller cancelled", null);
        }
    }
}
