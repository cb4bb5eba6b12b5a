package dev.aeon.controlplane.nexus;

import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.operation.ResourceProtos;
import dev.aeon.controlplane.proto.Paging;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.security.Authorization;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.Mutation.Change;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.NexusEndpointRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.cloudservice.v1.CreateNexusEndpointRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateNexusEndpointResponse;
import io.temporal.api.cloud.cloudservice.v1.DeleteNexusEndpointRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteNexusEndpointResponse;
import io.temporal.api.cloud.cloudservice.v1.GetNexusEndpointRequest;
import io.temporal.api.cloud.cloudservice.v1.GetNexusEndpointResponse;
import io.temporal.api.cloud.cloudservice.v1.GetNexusEndpointsRequest;
import io.temporal.api.cloud.cloudservice.v1.GetNexusEndpointsResponse;
import io.temporal.api.cloud.cloudservice.v1.UpdateNexusEndpointRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateNexusEndpointResponse;
import io.temporal.api.cloud.nexus.v1.Endpoint;
import io.temporal.api.cloud.nexus.v1.EndpointSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Nexus endpoints: a name mapped to a worker target (namespace + task queue) and the namespaces allowed to call it.
 * Stored here and provisioned on the data plane, which routes by them: every change's operation ends FULFILLED only
 * once the data plane applied it ({@link NexusEndpointProvisioningRunner}). Everyone in the account reads them;
 * account admins and ADMINs of the target namespace change them.
 */
@ApplicationScoped
public class NexusEndpointService {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_-]{0,199}");
    private static final int MAX_TASK_QUEUE = 1000;

    @Inject
    ResourceStore store;

    @Inject
    NexusEndpointProvisioningRunner runner;

    public CreateNexusEndpointResponse create(ApiKeyPrincipal p, CreateNexusEndpointRequest request) {
        Mutation.Result result = insert(Actor.of(p), validate(p, request.getSpec()), request.getAsyncOperationId());
        return CreateNexusEndpointResponse.newBuilder().setEndpointId(result.resourceId())
                .setAsyncOperation(submitted(result)).build();
    }

    /**
     * Temporal's OperatorService {@code CreateNexusEndpoint}, made on the data plane by {@code actor}, which the data
     * plane authorized (ADMIN on the target namespace). The endpoint allows no callers, as one created in Temporal
     * Cloud; the Cloud Ops API adds them.
     */
    public Mutation.Result createFor(Actor actor, EndpointSpec spec) {
        Mutation.Result result = insert(actor, validate(actor.accountId(), spec), "");
        submitted(result);
        return result;
    }

    /**
     * OperatorService's {@code UpdateNexusEndpoint}, from the data plane ({@code actor} authorized there):
     * {@code change} gets the current spec and returns the new one (OperatorService's spec has no callers, so the
     * endpoint keeps its own).
     */
    public Mutation.Result updateFor(Actor actor, String id, java.util.function.UnaryOperator<EndpointSpec> change) {
        // Validated before the transaction (it reads namespaces); applied only to the row it was computed from.
        NexusEndpointRow seen = ResourceProtos.existing(store.find(NexusEndpointRow.class, actor.accountId(), id)
                .orElse(null), "Nexus endpoint", id);
        EndpointSpec next = validate(actor.accountId(), change.apply(ProtoJson.parseStored(seen.spec,
                EndpointSpec.newBuilder())));
        String spec = ProtoJson.print(next);
        Mutation.Result result = store.apply(new Mutation<>(NexusEndpointRow.class, actor, id,
                AsyncOperations.operationId(""), "UpdateNexusEndpoint", row -> {
                    NexusEndpointRow current = ResourceProtos.existing(row, "Nexus endpoint", id);
                    if (current.resourceVersion != seen.resourceVersion) {
                        throw CloudApiException.failedPrecondition("spec", "Nexus endpoint " + id
                                + " changed meanwhile; try again");
                    }
                    if (spec.equals(current.spec)) {
                        throw CloudApiException.invalid("spec", "nothing to change");
                    }
                    current.spec = spec;
                    current.name = next.getName();
                    return Change.update(current, true);
                }));
        submitted(result);
        return result;
    }

    /** OperatorService's {@code DeleteNexusEndpoint}, from the data plane ({@code actor} authorized there). */
    public Mutation.Result deleteFor(Actor actor, String id) {
        Mutation.Result result = store.apply(new Mutation<>(NexusEndpointRow.class, actor, id,
                AsyncOperations.operationId(""), "DeleteNexusEndpoint",
                row -> Change.remove(ResourceProtos.existing(row, "Nexus endpoint", id), true)));
        submitted(result);
        return result;
    }

    private Mutation.Result insert(Actor actor, EndpointSpec spec, String requestedOperationId) {
        NexusEndpointRow row = new NexusEndpointRow();
        row.id = UUID.randomUUID().toString().replace("-", "");
        row.name = spec.getName();
        row.spec = ProtoJson.print(spec);
        row.state = io.temporal.api.cloud.resource.v1.ResourceState.RESOURCE_STATE_ACTIVE.name();
        return store.apply(new Mutation<>(NexusEndpointRow.class, actor, null,
                AsyncOperations.operationId(requestedOperationId), "CreateNexusEndpoint",
                none -> Change.insert(row, true)));
    }

    public GetNexusEndpointResponse get(ApiKeyPrincipal p, GetNexusEndpointRequest request) {
        NexusEndpointRow row = ResourceProtos.existing(store.find(NexusEndpointRow.class, p.accountId(),
                request.getEndpointId()).orElse(null), "Nexus endpoint", request.getEndpointId());
        return GetNexusEndpointResponse.newBuilder().setEndpoint(toProto(row)).build();
    }

    /** {@code name} filters in the store; the target filters apply to each page's rows. */
    public GetNexusEndpointsResponse list(ApiKeyPrincipal p, GetNexusEndpointsRequest request) {
        Paging paging = Paging.of(request.getPageSize(), request.getPageToken());
        Map<String, Object> equal = request.getName().isEmpty() ? Map.of() : Map.of("name", request.getName());
        var page = paging.page(store.list(NexusEndpointRow.class, p.accountId(),
                new ResourceStore.ListFilter(equal, null), paging.afterId(), paging.fetchSize()), r -> r.id);
        GetNexusEndpointsResponse.Builder response = GetNexusEndpointsResponse.newBuilder()
                .setNextPageToken(page.nextPageToken());
        page.rows().stream().map(NexusEndpointService::toProto).filter(e -> {
            var target = e.getSpec().getTargetSpec().getWorkerTargetSpec();
            return (request.getTargetNamespaceId().isEmpty() || request.getTargetNamespaceId().equals(target.getNamespaceId()))
                    && (request.getTargetTaskQueue().isEmpty() || request.getTargetTaskQueue().equals(target.getTaskQueue()));
        }).forEach(response::addEndpoints);
        return response.build();
    }

    public UpdateNexusEndpointResponse update(ApiKeyPrincipal p, UpdateNexusEndpointRequest request) {
        EndpointSpec next = validate(p, request.getSpec());
        String id = request.getEndpointId();
        requireCanManage(p, ResourceProtos.existing(store.find(NexusEndpointRow.class, p.accountId(), id).orElse(null),
                "Nexus endpoint", id));
        Mutation.Result result = store.apply(new Mutation<>(NexusEndpointRow.class, Actor.of(p), id,
                AsyncOperations.operationId(request.getAsyncOperationId()), "UpdateNexusEndpoint", row -> {
                    NexusEndpointRow current = ResourceProtos.existing(row, "Nexus endpoint", id);
                    AsyncOperations.requireVersion(current, request.getResourceVersion());
                    String spec = ProtoJson.print(next);
                    if (spec.equals(current.spec)) {
                        throw CloudApiException.invalid("spec", "nothing to change");
                    }
                    current.spec = spec;
                    current.name = next.getName();
                    return Change.update(current, true);
                }));
        return UpdateNexusEndpointResponse.newBuilder().setAsyncOperation(submitted(result)).build();
    }

    public DeleteNexusEndpointResponse delete(ApiKeyPrincipal p, DeleteNexusEndpointRequest request) {
        String id = request.getEndpointId();
        requireCanManage(p, ResourceProtos.existing(store.find(NexusEndpointRow.class, p.accountId(), id).orElse(null),
                "Nexus endpoint", id));
        Mutation.Result result = store.apply(new Mutation<>(NexusEndpointRow.class, Actor.of(p), id,
                AsyncOperations.operationId(request.getAsyncOperationId()), "DeleteNexusEndpoint", row -> {
                    NexusEndpointRow current = ResourceProtos.existing(row, "Nexus endpoint", id);
                    AsyncOperations.requireVersion(current, request.getResourceVersion());
                    return Change.remove(current, true);
                }));
        return DeleteNexusEndpointResponse.newBuilder().setAsyncOperation(submitted(result)).build();
    }

    /** The operation as answered; a new one (not a retry's) starts provisioning on the data plane. */
    private io.temporal.api.cloud.operation.v1.AsyncOperation submitted(Mutation.Result result) {
        if (!result.replayed()) {
            runner.submit(result.operation());
        }
        return AsyncOperations.toProto(result.operation());
    }

    private void requireCanManage(ApiKeyPrincipal p, NexusEndpointRow row) {
        EndpointSpec spec = ProtoJson.parseStored(row.spec, EndpointSpec.newBuilder());
        Authorization.requireNamespace(p, spec.getTargetSpec().getWorkerTargetSpec().getNamespaceId(),
                NamespacePermission.ADMIN, "manage Nexus endpoints targeting it");
    }

    private EndpointSpec validate(ApiKeyPrincipal p, EndpointSpec spec) {
        EndpointSpec valid = validate(p.accountId(), spec);
        Authorization.requireNamespace(p, valid.getTargetSpec().getWorkerTargetSpec().getNamespaceId(),
                NamespacePermission.ADMIN, "manage Nexus endpoints targeting it");
        return valid;
    }

    /** The spec's own rules, and its namespaces are the account's. */
    private EndpointSpec validate(String accountId, EndpointSpec spec) {
        if (!NAME.matcher(spec.getName()).matches()) {
            throw CloudApiException.invalid("spec.name", "must be 1-200 letters, digits, hyphens or underscores,"
                    + " starting with a letter or underscore; was \"" + spec.getName() + "\"");
        }
        var target = spec.getTargetSpec().getWorkerTargetSpec();
        if (target.getNamespaceId().isEmpty()) {
            throw CloudApiException.invalid("spec.target_spec.worker_target_spec.namespace_id", "is required");
        }
        requireNamespaceExists(accountId, target.getNamespaceId(), "spec.target_spec.worker_target_spec.namespace_id");
        if (target.getTaskQueue().isBlank() || target.getTaskQueue().length() > MAX_TASK_QUEUE) {
            throw CloudApiException.invalid("spec.target_spec.worker_target_spec.task_queue", "is required, at most "
                    + MAX_TASK_QUEUE + " characters");
        }
        for (int i = 0; i < spec.getPolicySpecsCount(); i++) {
            String caller = spec.getPolicySpecs(i).getAllowedCloudNamespacePolicySpec().getNamespaceId();
            requireNamespaceExists(accountId, caller, "spec.policy_specs[" + i + "].allowed_cloud_namespace_policy_spec"
                    + ".namespace_id");
        }
        return spec.toBuilder().clearDescriptionDeprecated().build();
    }

    private void requireNamespaceExists(String accountId, String namespace, String field) {
        if (namespace.isEmpty() || store.find(NamespaceRow.class, accountId, namespace).isEmpty()) {
            throw CloudApiException.invalid(field, "namespace \"" + namespace + "\" does not exist in this account");
        }
    }

    static Endpoint toProto(NexusEndpointRow row) {
        return ResourceProtos.toProto(Endpoint.newBuilder(), row, "id");
    }
}
