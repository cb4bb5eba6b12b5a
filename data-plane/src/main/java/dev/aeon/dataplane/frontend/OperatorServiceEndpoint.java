package dev.aeon.dataplane.frontend;

import dev.aeon.common.grpc.RequestParsing;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;

/**
 * {@link OperatorServiceFrontend} on the frontend port beside WorkflowService, with requests that are not protobuf
 * of their RPC's message refused as INVALID_ARGUMENT ({@link RequestParsing}).
 */
@GrpcService
public class OperatorServiceEndpoint implements BindableService {

    private final OperatorServiceFrontend frontend;

    public OperatorServiceEndpoint(OperatorServiceFrontend frontend) {
        this.frontend = frontend;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return RequestParsing.refusingMalformedRequests(frontend.bindService());
    }
}
