package dev.aeon.dataplane.auth;

import dev.aeon.common.grpc.HeldListener;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.aeon.auth.Principal;
import dev.aeon.dataplane.cluster.ForwardedCalls;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLSession;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletionException;

/**
 * The one gate in front of Temporal's {@code WorkflowService} and {@code OperatorService}: every call names a namespace (in the request and,
 * from SDKs, in the {@code temporal-namespace} header) and carries an API key or a client certificate; the call
 * reaches the frontend only once {@link CallAuthorizer} said this identity may make this kind of call on that
 * namespace. The namespace is in the request body, so the call is held until its message arrives, authorized off
 * the event loop, then replayed to the frontend with the caller's {@link Principal} in the gRPC context.
 */
@ApplicationScoped
@GlobalInterceptor
@Priority(Integer.MAX_VALUE - 1) // outermost but for CallRouting: nothing runs for a call before it is authorized
public class AuthInterceptor implements ServerInterceptor {

    /** Who made the current call; absent when authentication is off. */
    public static final Context.Key<Principal> CALLER = Context.key("aeon-caller");

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> NAMESPACE_HEADER =
            Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

    /** Temporal's limit on ids and names, the namespace's included. */
    static final int MAX_NAMESPACE_LENGTH = 1000;

    private final CallAuthorizer authorizer;
    private final java.util.Optional<String> internalToken;

    public AuthInterceptor(CallAuthorizer authorizer,
                           @org.eclipse.microprofile.config.inject.ConfigProperty(name = "aeon.internal.token")
                           java.util.Optional<String> internalToken) {
        this.authorizer = authorizer;
        this.internalToken = internalToken;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (!authorizer.enabled() || !WorkflowServiceGrpc.SERVICE_NAME.equals(service)
                && !OperatorServiceGrpc.SERVICE_NAME.equals(service)) {
            return next.startCall(call, headers); // gRPC health and reflection are open, as on Temporal
        }
        return new HeldCall<>(call, headers, next);
    }

    static Credentials credentials(Metadata headers, SSLSession tls) {
        String authorization = headers.get(AUTHORIZATION);
        String apiKey = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            apiKey = authorization.substring(7).trim();
        }
        X509Certificate[] chain = ForwardedCalls.peerChain(tls);
        return new Credentials(apiKey, authorization != null && apiKey == null, chain);
    }

    /**
     * A call another node forwarded: the caller's API key as it sent it, or the client certificate it presented to
     * that node (see {@link ForwardedCalls}).
     */
    static Credentials forwardedCredentials(Metadata headers) {
        Credentials own = credentials(headers, null);
        return new Credentials(own.apiKey(), own.malformedAuthorization(), ForwardedCalls.clientCertificates(headers));
    }

    /** The request's {@code namespace} field; every namespaced WorkflowService request has one. */
    static String namespaceOf(Object message) {
        if (message instanceof Message proto) {
            Descriptors.FieldDescriptor field = proto.getDescriptorForType().findFieldByName("namespace");
            if (field != null && field.getType() == Descriptors.FieldDescriptor.Type.STRING) {
                return (String) proto.getField(field);
            }
        }
        return "";
    }

    /** A call waiting for its authorization: its events are held until the verdict. All WorkflowService methods are unary. */
    private final class HeldCall<Q, R> extends HeldListener<Q> {

        private final ServerCall<Q, R> call;
        private final Metadata headers;
        private final ServerCallHandler<Q, R> next;
        private final io.vertx.core.Context eventLoop = Vertx.currentContext();

        HeldCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            this.call = call;
            this.headers = headers;
            this.next = next;
            call.request(1);
        }

        @Override
        protected void received(Q received) {
            String namespace = namespaceOf(received);
            if (namespace.length() > MAX_NAMESPACE_LENGTH) {
                // Refused before anything quotes it: a name this long is no namespace, and an error echoing it would
                // overflow the trailers clients accept.
                close(Status.INVALID_ARGUMENT.withDescription("namespace exceeds length limit of "
                        + MAX_NAMESPACE_LENGTH + "."));
                return;
            }
            String headerNamespace = headers.get(NAMESPACE_HEADER);
            if (headerNamespace != null && !headerNamespace.isEmpty() && !namespace.isEmpty()
                    && !headerNamespace.equals(namespace)) {
                close(Status.INVALID_ARGUMENT.withDescription("temporal-namespace header (" + headerNamespace
                        + ") does not match the request's namespace (" + namespace + ")"));
                return;
            }
            Credentials credentials = ForwardedCalls.isForwarded(headers, internalToken)
                    ? forwardedCredentials(headers)
                    : credentials(headers, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            // Calls without a namespace field (ListNamespaces) are scoped by the header, if any.
            String scope = namespace.isEmpty() && headerNamespace != null ? headerNamespace : namespace;
            authorizer.authorize(call.getMethodDescriptor().getFullMethodName(), scope, credentials)
                    .whenComplete((caller, error) -> resume(() -> {
                        if (error != null) {
                            close(statusOf(error));
                        } else {
                            handTo(() -> Contexts.interceptCall(Context.current().withValue(CALLER, caller), call,
                                    headers, next));
                        }
                    }));
        }

        private void resume(Runnable action) {
            if (eventLoop != null) {
                eventLoop.runOnContext(ignored -> action.run());
            } else {
                action.run();
            }
        }

        private void close(Status status) {
            if (end()) {
                call.close(status, new Metadata());
            }
        }
    }

    private static Status statusOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof StatusRuntimeException status) {
            return status.getStatus();
        }
        // The check itself could not run (the store unreachable, the node stopping): a retry may find it working,
        // where INTERNAL would make an SDK give up on, say, an activity's result.
        return Status.UNAVAILABLE.withDescription("authorization could not be checked now; retry").withCause(cause);
    }
}
