package dev.aeon.dataplane.cluster;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;

/** Serves {@link PeerService}'s operations on the frontend port (a class of its own: {@code @GrpcService} qualifies). */
@GrpcService
public class PeerEndpoint implements BindableService {

    private final PeerService peers;

    public PeerEndpoint(PeerService peers) {
        this.peers = peers;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return peers.definition();
    }
}
