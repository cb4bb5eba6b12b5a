package dev.aeon.dataplane.frontend;

import dev.aeon.common.grpc.RequestParsing;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;

/**
 * What gRPC serves on the frontend port: {@link WorkflowServiceFrontend}, with requests that are not protobuf of
 * their RPC's message refused as INVALID_ARGUMENT ({@link RequestParsing}). A class of its own because the
 * generated base class's {@code bindService} is final.
 */
@GrpcService
public class WorkflowServiceEndpoint implements BindableService {

    private final WorkflowServiceFrontend frontend;

    public WorkflowServiceEndpoint(WorkflowServiceFrontend frontend) {
        this.frontend = frontend;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return RequestParsing.refusingMalformedRequests(frontend.bindService());
    }
}
