package dev.aeon.controlplane.api.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** Carries a call's {@code authorization} metadata to the service method, which authenticates it off the event loop. */
@GlobalInterceptor
@ApplicationScoped
public class AuthorizationHeader implements ServerInterceptor {

    static final Context.Key<String> VALUE = Context.key("aeon-authorization");
    private static final Metadata.Key<String> HEADER = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, S> ServerCall.Listener<Q> interceptCall(ServerCall<Q, S> call, Metadata headers,
                                                      ServerCallHandler<Q, S> next) {
        return Contexts.interceptCall(Context.current().withValue(VALUE, headers.get(HEADER)), call, headers, next);
    }
}
