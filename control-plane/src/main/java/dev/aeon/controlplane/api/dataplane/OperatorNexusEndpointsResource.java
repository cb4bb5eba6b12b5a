package dev.aeon.controlplane.api.dataplane;

import dev.aeon.auth.NamespaceNames;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.nexus.NexusEndpointService;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.DuplicateKeyException;
import dev.aeon.controlplane.store.Mutation;
import io.temporal.api.cloud.nexus.v1.EndpointSpec;
import io.temporal.api.cloud.nexus.v1.EndpointTargetSpec;
import io.temporal.api.cloud.nexus.v1.WorkerTargetSpec;
import io.temporal.api.common.v1.Payload;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Base64;
import java.util.function.Supplier;

/**
 * {@code /internal/v1/nexus-endpoints}: Temporal's OperatorService {@code Create/Update/DeleteNexusEndpoint}, called
 * by a tenant on the data plane, applied here to the account's endpoints and provisioned back like any endpoint change
 * (docs/internal-api.md). The data plane authorized the caller (ADMIN on the target namespace) and names it, so the
 * change is audit-logged as that caller's. Under {@code /internal/}: only the internal token opens it.
 */
@Path("/internal/v1/nexus-endpoints")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OperatorNexusEndpointsResource {

    /** OperatorService's endpoint spec (a worker target, no callers), namespaces by name. */
    public record OperatorSpec(String name, String targetNamespace, String targetTaskQueue, String description) {
    }

    public record ChangeRequest(OperatorSpec spec, NamespaceSearchAttributesResource.RequestedBy requestedBy) {
    }

    public record ChangeResponse(String endpointId, String asyncOperationId) {
    }

    @Inject
    NexusEndpointService endpoints;

    /**
     * OperatorService has no field for callers, and on Temporal OSS every namespace may call every endpoint. Here an
     * endpoint made this way may be called from its own target namespace (what a single-namespace setup, such as
     * the Go SDK's own tests, does); other namespaces are allowed through the Cloud Ops API, tcld or Terraform, as on
     * Temporal Cloud, where an endpoint made there allows no caller until one is listed.
     */
    @POST
    public ChangeResponse create(ChangeRequest request) {
        Actor actor = actor(request);
        EndpointSpec spec = cloudSpec(actor, request.spec(), EndpointSpec.newBuilder().addPolicySpecs(
                io.temporal.api.cloud.nexus.v1.EndpointPolicySpec.newBuilder().setAllowedCloudNamespacePolicySpec(
                        io.temporal.api.cloud.nexus.v1.AllowedCloudNamespacePolicySpec.newBuilder()
                                .setNamespaceId(request.spec() == null ? "" : String.valueOf(request.spec().targetNamespace())))));
        return answer(unique(request, () -> endpoints.createFor(actor, spec)));
    }

    @PUT
    @Path("{id}")
    public ChangeResponse update(@PathParam("id") String id, ChangeRequest request) {
        Actor actor = actor(request);
        return answer(unique(request, () -> endpoints.updateFor(actor, id,
                current -> cloudSpec(actor, request.spec(), current.toBuilder()))));
    }

    @POST
    @Path("{id}/delete")
    public ChangeResponse delete(@PathParam("id") String id, ChangeRequest request) {
        return answer(endpoints.deleteFor(actor(request), id));
    }

    /** OperatorService's fields over {@code base} (a Cloud spec: its callers stay). */
    private static EndpointSpec cloudSpec(Actor actor, OperatorSpec spec, EndpointSpec.Builder base) {
        if (spec == null) {
            throw CloudApiException.invalid("spec", "is required");
        }
        if (spec.targetNamespace() == null || !NamespaceNames.belongsTo(spec.targetNamespace(), actor.accountId())) {
            throw CloudApiException.invalid("spec.target_namespace", "must be a namespace of account "
                    + actor.accountId() + ", was " + spec.targetNamespace());
        }
        base.setName(spec.name() == null ? "" : spec.name()).setTargetSpec(EndpointTargetSpec.newBuilder()
                .setWorkerTargetSpec(WorkerTargetSpec.newBuilder().setNamespaceId(spec.targetNamespace())
                        .setTaskQueue(spec.targetTaskQueue() == null ? "" : spec.targetTaskQueue())));
        base.clearDescription();
        if (spec.description() != null && !spec.description().isEmpty()) {
            try {
                base.setDescription(Payload.parseFrom(Base64.getDecoder().decode(spec.description())));
            } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
                throw CloudApiException.invalid("spec.description", "must be a serialized Payload in base64");
            }
        }
        return base.build();
    }

    private static Actor actor(ChangeRequest request) {
        var by = request == null ? null : request.requestedBy();
        if (by == null || by.principalType() == null || by.principalType().isBlank() || by.principalId() == null
                || by.principalId().isBlank() || by.accountId() == null) {
            throw CloudApiException.invalid("requestedBy", "must name the caller (accountId, principalType, "
                    + "principalId)");
        }
        return new Actor(by.accountId(), by.principalType(), by.principalId(), by.apiKeyId());
    }

    private static Mutation.Result unique(ChangeRequest request, Supplier<Mutation.Result> change) {
        try {
            return change.get();
        } catch (DuplicateKeyException e) {
            throw CloudApiException.alreadyExists("spec.name", "a Nexus endpoint named "
                    + request.spec().name() + " already exists");
        }
    }

    private static ChangeResponse answer(Mutation.Result result) {
        return new ChangeResponse(result.resourceId(), result.operation().id());
    }
}
