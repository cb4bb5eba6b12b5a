package dev.aeon.dataplane.frontend.http;

import dev.aeon.dataplane.auth.AuthInterceptor;
import dev.aeon.dataplane.frontend.MessageSizeLimit;
import dev.aeon.dataplane.frontend.WorkflowServiceEndpoint;
import dev.aeon.dataplane.frontend.WorkflowServiceFrontend;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * The gRPC frontend once more, in process, for the HTTP API: the same service with the same interceptors in the
 * same order (authentication outermost, then the size limit, then the lenient parsing), so an HTTP call is
 * authenticated, authorized and answered exactly as the gRPC call it becomes. Only API keys reach it (a bearer
 * token in the HTTP Authorization header); an HTTP client presents no TLS client certificate to it.
 */
@ApplicationScoped
public class InProcessFrontend {

    private final Server server;
    private final ManagedChannel channel;

    public InProcessFrontend(WorkflowServiceFrontend frontend, AuthInterceptor authentication,
                             MessageSizeLimit sizeLimit) {
        WorkflowServiceEndpoint endpoint = new WorkflowServiceEndpoint(frontend); // what 7233 serves
        String name = "aeon-frontend-" + UUID.randomUUID();
        try {
            // ServerInterceptors.intercept runs the last interceptor first: authentication is outermost, as on 7233
            this.server = InProcessServerBuilder.forName(name)
                    .addService(ServerInterceptors.intercept(endpoint.bindService(), sizeLimit, authentication))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    ManagedChannel channel() {
        return channel;
    }

    @PreDestroy
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }
}
