package dev.aeon.dataplane.frontend;

import com.google.protobuf.ByteString;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.auth.Principal;
import dev.aeon.dataplane.auth.AuthInterceptor;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.namespace.NamespaceSearchAttributes;
import dev.aeon.dataplane.nexus.ControlPlaneNexusEndpoints;
import dev.aeon.dataplane.nexus.NexusEndpoint;
import dev.aeon.dataplane.nexus.NexusEndpoints;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.nexus.v1.EndpointSpec;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.AddSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.CreateNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.CreateNexusEndpointResponse;
import io.temporal.api.operatorservice.v1.DeleteNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.DeleteNexusEndpointResponse;
import io.temporal.api.operatorservice.v1.GetNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.GetNexusEndpointResponse;
import io.temporal.api.operatorservice.v1.ListNexusEndpointsRequest;
import io.temporal.api.operatorservice.v1.ListNexusEndpointsResponse;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.UpdateNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.UpdateNexusEndpointResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Temporal's {@code OperatorService} on the frontend port, the part a tenant uses: a namespace's search attributes
 * (the CLI's {@code temporal operator search-attribute}, the Web UI) and Nexus endpoints ({@code temporal operator
 * nexus endpoint}). A thin edge over {@link NamespaceSearchAttributes} and {@link NexusEndpoints} (changes through
 * {@link ControlPlaneNexusEndpoints}); the other RPCs answer UNIMPLEMENTED, or are refused by authorization first
 * (namespaces and clusters belong to the control plane). Served through
 * {@link OperatorServiceEndpoint}, as {@link WorkflowServiceFrontend} is.
 */
@jakarta.inject.Singleton
@jakarta.enterprise.inject.Typed(OperatorServiceFrontend.class)
public class OperatorServiceFrontend extends OperatorServiceGrpc.OperatorServiceImplBase {

    private final NamespaceSearchAttributes searchAttributes;
    private final ExecutorService executor;

    public OperatorServiceFrontend(NamespaceSearchAttributes searchAttributes, HistoryEngine engine) {
        this.searchAttributes = searchAttributes;
        this.executor = engine.executor();
    }

    @Override
    public void addSearchAttributes(AddSearchAttributesRequest request,
                                    StreamObserver<AddSearchAttributesResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get(); // read here: the gRPC context does not follow us to the executor
        Map<String, IndexedValueType> attributes = new TreeMap<>(request.getSearchAttributesMap());
        CompletableFuture.supplyAsync(() -> {
                    requireNamespace(request.getNamespace());
                    return searchAttributes.add(request.getNamespace(), attributes, caller, executor);
                }, executor)
                .thenCompose(added -> added)
                .whenComplete((done, error) -> WorkflowServiceFrontend.reply(response,
                        AddSearchAttributesResponse.getDefaultInstance(), error));
    }

    @Override
    public void removeSearchAttributes(RemoveSearchAttributesRequest request,
                                       StreamObserver<RemoveSearchAttributesResponse> response) {
        run(response, () -> {
            requireNamespace(request.getNamespace());
            searchAttributes.remove(request.getNamespace(), request.getSearchAttributesList());
            return RemoveSearchAttributesResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSearchAttributes(ListSearchAttributesRequest request,
                                     StreamObserver<ListSearchAttributesResponse> response) {
        run(response, () -> {
            requireNamespace(request.getNamespace());
            return ListSearchAttributesResponse.newBuilder()
                    .putAllCustomAttributes(searchAttributes.custom(request.getNamespace()))
                    .putAllSystemAttributes(NamespaceSearchAttributes.system())
                    .build();
        });
    }

    // --- Nexus endpoints: read from the registry the control plane provisions (changes go through the control plane)
    // Injected into a field to keep this section to itself.

    @Inject
    NexusEndpoints nexusEndpoints;

    /** Temporal's default and largest page of endpoints (frontend.nexusEndpointListDefaultPageSize / MaxPageSize). */
    private static final int ENDPOINT_PAGE_SIZE = 100;

    @Override
    public void getNexusEndpoint(GetNexusEndpointRequest request,
                                 StreamObserver<GetNexusEndpointResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get();
        run(response, () -> {
            if (request.getId().isEmpty()) {
                throw ApiErrors.invalidArgument("endpoint ID not set");
            }
            return GetNexusEndpointResponse.newBuilder()
                    .setEndpoint(nexusEndpoints.byId(request.getId()).filter(e -> administers(caller, e))
                            .orElseThrow(() -> ApiErrors.notFound("error looking up Nexus endpoint with ID `"
                                    + request.getId() + "`: Nexus endpoint not found"))
                            .toProto()).build();
        });
    }

    /**
     * The caller's endpoints (those whose target namespace it administers), by id, a page at a time; with a name,
     * that endpoint only, as Temporal answers.
     */
    @Override
    public void listNexusEndpoints(ListNexusEndpointsRequest request,
                                   StreamObserver<ListNexusEndpointsResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get();
        run(response, () -> {
            if (request.getPageSize() < 0 || request.getPageSize() > ENDPOINT_PAGE_SIZE) {
                throw ApiErrors.invalidArgument("page_size: must be between 0 and " + ENDPOINT_PAGE_SIZE + ", was "
                        + request.getPageSize());
            }
            int pageSize = request.getPageSize() == 0 ? ENDPOINT_PAGE_SIZE : request.getPageSize();
            String after = request.getNextPageToken().toStringUtf8();
            List<NexusEndpoint> visible = nexusEndpoints.all().stream()
                    .filter(e -> administers(caller, e))
                    .filter(e -> request.getName().isEmpty() || e.spec().name().equals(request.getName()))
                    .filter(e -> after.isEmpty() || e.id().compareTo(after) > 0)
                    .toList();
            var page = ListNexusEndpointsResponse.newBuilder();
            visible.stream().limit(pageSize).forEach(e -> page.addEndpoints(e.toProto()));
            if (visible.size() > pageSize) {
                page.setNextPageToken(ByteString.copyFromUtf8(visible.get(pageSize - 1).id()));
            }
            return page.build();
        });
    }

    @ConfigProperty(name = "aeon.data-plane.nexus.apply-timeout",
            defaultValue = "20s")
    Duration nexusApplyTimeout;
    @Inject
    ControlPlaneNexusEndpoints controlPlaneEndpoints;

    /**
     * Temporal's {@code CreateNexusEndpoint}: made in the control plane (the registry's source of truth) on the
     * caller's behalf, answered once it was provisioned here. The endpoint allows no callers until the Cloud Ops API
     * adds some, as one created in Temporal Cloud.
     */
    @Override
    public void createNexusEndpoint(CreateNexusEndpointRequest request,
                                    StreamObserver<CreateNexusEndpointResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get();
        CompletableFuture.supplyAsync(() -> controlPlaneEndpoints.create(operatorSpec(request.getSpec(), caller), caller),
                        executor)
                .thenCompose(id -> nexusEndpoints.await(id, Optional::isPresent, nexusApplyTimeout)
                        .thenApply(found -> found.orElseThrow(() -> notYetApplied(id))))
                .whenComplete((endpoint, error) -> WorkflowServiceFrontend.reply(response, endpoint == null ? null
                        : CreateNexusEndpointResponse.newBuilder()
                        .setEndpoint(endpoint.toProto()).build(), error));
    }

    @Override
    public void updateNexusEndpoint(UpdateNexusEndpointRequest request,
                                    StreamObserver<UpdateNexusEndpointResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get();
        CompletableFuture.supplyAsync(() -> {
                    NexusEndpoint current = current(caller, request.getId(), request.getVersion());
                    controlPlaneEndpoints.update(current.id(), operatorSpec(request.getSpec(), caller), caller);
                    return current;
                }, executor)
                .thenCompose(current -> nexusEndpoints.await(current.id(),
                                found -> found.isEmpty() || found.get().version() > current.version(), nexusApplyTimeout)
                        .thenApply(found -> found.filter(e -> e.version() > current.version())
                                .orElseThrow(() -> notYetApplied(current.id()))))
                .whenComplete((endpoint, error) -> WorkflowServiceFrontend.reply(response, endpoint == null ? null
                        : UpdateNexusEndpointResponse.newBuilder()
                        .setEndpoint(endpoint.toProto()).build(), error));
    }

    @Override
    public void deleteNexusEndpoint(DeleteNexusEndpointRequest request,
                                    StreamObserver<DeleteNexusEndpointResponse> response) {
        Principal caller = AuthInterceptor.CALLER.get();
        CompletableFuture.supplyAsync(() -> {
                    NexusEndpoint current = current(caller, request.getId(), request.getVersion());
                    controlPlaneEndpoints.delete(current.id(), caller);
                    return current;
                }, executor)
                .thenCompose(current -> nexusEndpoints.await(current.id(), Optional::isEmpty, nexusApplyTimeout)
                        .thenApply(found -> {
                            if (found.isPresent()) {
                                throw notYetApplied(current.id());
                            }
                            return DeleteNexusEndpointResponse.getDefaultInstance();
                        }))
                .whenComplete((done, error) -> WorkflowServiceFrontend.reply(response, done, error));
    }

    /** The endpoint the caller administers at {@code version}, in Temporal's words when it is not. */
    private NexusEndpoint current(Principal caller, String id, long version) {
        if (id.isEmpty()) {
            throw ApiErrors.invalidArgument("endpoint ID not set");
        }
        NexusEndpoint current = nexusEndpoints.byId(id).filter(e -> administers(caller, e))
                .orElseThrow(() -> ApiErrors.notFound("Nexus endpoint with ID " + id + " not found"));
        if (version != current.version()) {
            throw Status.FAILED_PRECONDITION.withDescription("nexus endpoint version mismatch. received: "
                    + version + " expected " + current.version()).asRuntimeException();
        }
        return current;
    }

    /** OperatorService's spec as the control plane takes it; only worker targets the caller administers. */
    private static ControlPlaneNexusEndpoints.OperatorSpec operatorSpec(
            EndpointSpec spec, Principal caller) {
        if (!spec.getTarget().hasWorker()) {
            throw ApiErrors.invalidArgument("spec.target: only worker targets (a namespace and task queue) are "
                    + "supported" + (spec.getTarget().hasExternal() ? "; external targets are not" : ""));
        }
        String target = spec.getTarget().getWorker().getNamespace();
        if (caller != null && caller.permissionOn(target)
                .filter(p -> p.includes(NamespacePermission.ADMIN)).isEmpty()) {
            throw caller.permissionOn(target).isEmpty() ? ApiErrors.namespaceNotFound(target)
                    : Status.PERMISSION_DENIED.withDescription(caller.describe() + " needs ADMIN on namespace "
                    + target + " to manage Nexus endpoints targeting it").asRuntimeException();
        }
        String description = spec.hasDescription()
                ? Base64.getEncoder().encodeToString(spec.getDescription().toByteArray()) : null;
        return new ControlPlaneNexusEndpoints.OperatorSpec(spec.getName(), target,
                spec.getTarget().getWorker().getTaskQueue(), description);
    }

    private static RuntimeException notYetApplied(String id) {
        return Status.DEADLINE_EXCEEDED.withDescription("the control plane accepted the change of Nexus "
                + "endpoint " + id + ", which has not reached this data plane yet; it will").asRuntimeException();
    }

    /** Without authentication every endpoint shows; with it, those whose target namespace the caller administers. */
    private static boolean administers(Principal caller, NexusEndpoint endpoint) {
        return caller == null || caller.permissionOn(endpoint.spec().targetNamespace())
                .filter(p -> p.includes(NamespacePermission.ADMIN)).isPresent();
    }

    private static void requireNamespace(String namespace) {
        if (namespace.isEmpty()) {
            throw ApiErrors.invalidArgument("Namespace is not set on request.");
        }
    }

    private <T> void run(StreamObserver<T> response, Supplier<T> work) {
        CompletableFuture.supplyAsync(work, executor)
                .whenComplete((result, error) -> WorkflowServiceFrontend.reply(response, result, error));
    }
}
