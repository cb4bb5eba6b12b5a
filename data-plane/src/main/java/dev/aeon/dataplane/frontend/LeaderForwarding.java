package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.cluster.ForwardedCalls;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.cluster.PeerChannels;
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
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;

/**
 * Any node takes any call: SDKs connect through one address (a Kubernetes Service, a load balancer, the launcher's
 * balancer), and a node that does not serve the shards now forwards the call, unchanged, to the one that does
 * (the leader, {@link Membership}) over gRPC, marked with the internal token. The serving node authenticates and
 * authorizes it as if the caller had connected to it. A forwarded call is never forwarded again: should the leader
 * have changed meanwhile, the node answers UNAVAILABLE and the SDK's retry finds the new one.
 *
 * <p>Outermost interceptor: nothing is parsed or checked on a node that forwards.
 */
@ApplicationScoped
@GlobalInterceptor
@Priority(Integer.MAX_VALUE)
public class LeaderForwarding implements ServerInterceptor {

    /** Headers of the incoming call that are the transport's own, not the caller's. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("content-type", "user-agent", "te", "host",
            "grpc-accept-encoding", "grpc-encoding", "grpc-timeout", "accept-encoding");

    private final Membership membership;
    private final PeerChannels peers;
    private final Optional<String> internalToken;

    public LeaderForwarding(Membership membership, PeerChannels peers,
                            @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken) {
        this.membership = membership;
        this.peers = peers;
        this.internalToken = internalToken;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        boolean temporalApi = WorkflowServiceGrpc.SERVICE_NAME.equals(service)
                || OperatorServiceGrpc.SERVICE_NAME.equals(service);
        if (!temporalApi || membership.isLeader() || ForwardedCalls.isForwarded(headers, internalToken)) {
            return next.startCall(call, headers);
        }
        Optional<Member> leader = membership.leader();
        if (leader.isEmpty() || internalToken.filter(token -> !token.isEmpty()).isEmpty()) {
            call.close(Status.UNAVAILABLE.withDescription("no data-plane node serves workflows at the moment; retry"),
                    new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return new Forwarded<>(call, outgoing(call, headers), leader.get());
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
     * One call relayed to the leader: its request once it arrived, then the leader's headers, response and status
     * back to the caller. WorkflowService and OperatorService methods are all unary.
     */
    private final class Forwarded<Q, R> extends ServerCall.Listener<Q> {

        private final ServerCall<Q, R> call;
        private final ClientCall<Q, R> out;
        private final Metadata headers;
        private Q request;

        Forwarded(ServerCall<Q, R> call, Metadata headers, Member leader) {
            this.call = call;
            this.headers = headers;
            Deadline deadline = Context.current().getDeadline();
            CallOptions options = deadline == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(deadline);
            this.out = peers.to(leader.address()).newCall(call.getMethodDescriptor(), options);
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
