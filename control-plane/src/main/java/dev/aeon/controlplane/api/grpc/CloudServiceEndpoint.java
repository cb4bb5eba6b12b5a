package dev.aeon.controlplane.api.grpc;

import dev.aeon.common.grpc.RequestParsing;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;

/**
 * What gRPC serves for {@code CloudService}: {@link CloudServiceGrpcFace}, with requests that are not protobuf of
 * their RPC's message refused as INVALID_ARGUMENT ({@link RequestParsing}). A class of its own because the
 * generated base class's {@code bindService} is final.
 */
@GrpcService
public class CloudServiceEndpoint implements BindableService {

    private final CloudServiceGrpcFace face;

    public CloudServiceEndpoint(CloudServiceGrpcFace face) {
        this.face = face;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return RequestParsing.refusingMalformedRequests(face.bindService());
    }
}
