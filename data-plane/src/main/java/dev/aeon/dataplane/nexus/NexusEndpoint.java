package dev.aeon.dataplane.nexus;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.nexus.v1.Endpoint;
import io.temporal.api.nexus.v1.EndpointSpec;
import io.temporal.api.nexus.v1.EndpointTarget;

import java.time.Instant;
import java.util.Base64;

/**
 * A provisioned Nexus endpoint: its id (the control plane's), the record's version (raised by every change here) and
 * its spec.
 */
public record NexusEndpoint(String id, long version, NexusEndpointSpec spec, Instant createdTime,
                            Instant lastModifiedTime) {

    /** Where Temporal's frontend serves the endpoint's operations, relative to the HTTP port (Endpoint.url_prefix). */
    public String urlPrefix() {
        return "/nexus/endpoints/" + id + "/services";
    }

    /** Whether a workflow of {@code namespace} may call this endpoint (the caller side's check). */
    public boolean allowsCaller(String namespace) {
        return spec.allowedCallerNamespaces().contains(namespace);
    }

    /** The endpoint as OperatorService shows it (Temporal OSS's {@code nexus.v1.Endpoint}: a worker target). */
    public Endpoint toProto() {
        EndpointSpec.Builder protoSpec = EndpointSpec.newBuilder().setName(spec.name())
                .setTarget(EndpointTarget.newBuilder().setWorker(EndpointTarget.Worker.newBuilder()
                        .setNamespace(spec.targetNamespace()).setTaskQueue(spec.targetTaskQueue())));
        if (spec.description() != null && !spec.description().isEmpty()) {
            try {
                protoSpec.setDescription(Payload.parseFrom(Base64.getDecoder().decode(spec.description())));
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                throw new IllegalStateException("endpoint " + id + " has a corrupt description", e);
            }
        }
        return Endpoint.newBuilder().setId(id).setVersion(version).setSpec(protoSpec)
                .setCreatedTime(timestamp(createdTime)).setLastModifiedTime(timestamp(lastModifiedTime))
                .setUrlPrefix(urlPrefix()).build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
