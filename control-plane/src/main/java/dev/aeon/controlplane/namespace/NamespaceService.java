package dev.aeon.controlplane.namespace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aeon.auth.AccountRole;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.identity.AccessGrants;
import dev.aeon.controlplane.namespace.NamespaceLifecycle.Event;
import dev.aeon.controlplane.namespace.NamespaceLifecycle.State;
import dev.aeon.controlplane.namespace.NamespaceProvisioningRunner;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.proto.Paging;
import dev.aeon.controlplane.provisioning.NamespaceProvisioning;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.Mutation.Change;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceResponse;
import io.temporal.api.cloud.cloudservice.v1.DeleteNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteNamespaceResponse;
import io.temporal.api.cloud.cloudservice.v1.GetNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.GetNamespaceResponse;
import io.temporal.api.cloud.cloudservice.v1.GetNamespacesRequest;
import io.temporal.api.cloud.cloudservice.v1.GetNamespacesResponse;
import io.temporal.api.cloud.cloudservice.v1.RenameCustomSearchAttributeRequest;
import io.temporal.api.cloud.cloudservice.v1.RenameCustomSearchAttributeResponse;
import io.temporal.api.cloud.cloudservice.v1.UpdateNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateNamespaceResponse;
import io.temporal.api.cloud.cloudservice.v1.UpdateNamespaceTagsRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateNamespaceTagsResponse;
import io.temporal.api.cloud.namespace.v1.ApiKeyAuthSpec;
import io.temporal.api.cloud.namespace.v1.Endpoints;
import io.temporal.api.cloud.namespace.v1.Limits;
import io.temporal.api.cloud.namespace.v1.Namespace;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec.SearchAttributeType;
import io.temporal.api.cloud.operation.v1.AsyncOperation;
import io.temporal.api.cloud.resource.v1.ResourceState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Namespaces: the desired state in the store, applied to the data plane by {@link NamespaceProvisioningRunner}. A
 * namespace with an operation still running accepts no other change until that one ends.
 */
@ApplicationScoped
public class NamespaceService {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ResourceStore store;

    @Inject
    Regions regions;

    @Inject
    NamespaceProvisioningRunner runner;

    @Inject
    AccessGrants grants;

    @ConfigProperty(name = "aeon.control-plane.namespace.grpc-address", defaultValue = "localhost:7233")
    String grpcAddress;

    @ConfigProperty(name = "aeon.console.url")
    String consoleUrl;

    @ConfigProperty(name = "aeon.control-plane.namespace.actions-per-second", defaultValue = "500")
    int actionsPerSecond;

    public CreateNamespaceResponse create(ApiKeyPrincipal p, CreateNamespaceRequest request) {
        NamespaceSpec spec = NamespaceSpecValidator.normalize(request.getSpec(), regions);
        String tags = tagsJson(NamespaceSpecValidator.checkTags(request.getTagsMap(), "tags"));
        String id = spec.getName() + "." + p.accountId();
        String operationId = AsyncOperations.operationId(request.getAsyncOperationId());
        Mutation.Result result = store.apply(new Mutation<>(NamespaceRow.class, Actor.of(p), id, operationId,
                "CreateNamespace", current -> {
                    if (current != null) {
                        throw CloudApiException.alreadyExists("spec.name", "namespace " + id + " already exists");
                    }
                    NamespaceRow row = new NamespaceRow();
                    row.id = id;
                    row.name = spec.getName();
                    row.spec = ProtoJson.print(spec);
                    SearchAttributeFieldsColumn.assign(row, spec);
                    row.tags = tags;
                    row.state = NamespaceLifecycle.next(id, State.NONE, Event.CREATE).storedName();
                    return Change.insert(row, true);
                }));
        if (!result.replayed()) {
            runner.submit(result.operation());
            if (!p.isAccountAdmin() && p.accountRole() == AccountRole.DEVELOPER) {
                // As in Temporal Cloud, a developer administers the namespaces it creates.
                grants.grant(p, id, NamespacePermission.ADMIN, operationId);
            }
        }
        return CreateNamespaceResponse.newBuilder().setNamespace(result.resourceId())
                .setAsyncOperation(AsyncOperations.toProto(result.operation())).build();
    }

    public GetNamespaceResponse get(ApiKeyPrincipal p, GetNamespaceRequest request) {
        String id = request.getNamespace();
        NamespaceRow row = store.find(NamespaceRow.class, p.accountId(), id)
                .orElseThrow(() -> CloudApiException.notFound("namespace", id));
        return GetNamespaceResponse.newBuilder().setNamespace(toProto(row)).build();
    }

    public GetNamespacesResponse list(ApiKeyPrincipal p, GetNamespacesRequest request) {
        Paging paging = Paging.of(request.getPageSize(), request.getPageToken());
        Set<String> visible = p.readsAllNamespaces() ? null : p.access().namespacePermissions().keySet().stream()
                .filter(id -> p.permissionOn(id).isPresent()).collect(Collectors.toSet());
        Map<String, Object> equal = request.getName().isEmpty() ? Map.of() : Map.of("name", request.getName());
        var page = paging.page(store.list(NamespaceRow.class, p.accountId(),
                new ResourceStore.ListFilter(equal, visible), paging.afterId(), paging.fetchSize()), r -> r.id);
        GetNamespacesResponse.Builder response = GetNamespacesResponse.newBuilder()
                .setNextPageToken(page.nextPageToken());
        page.rows().forEach(row -> response.addNamespaces(toProto(row)));
        return response.build();
    }

    public UpdateNamespaceResponse update(ApiKeyPrincipal p, UpdateNamespaceRequest request) {
        String id = request.getNamespace();
        NamespaceSpec next = NamespaceSpecValidator.normalize(request.getSpec(), regions);
        AsyncOperation op = change(Actor.of(p), id, request.getResourceVersion(), request.getAsyncOperationId(),
                "UpdateNamespace", current -> {
                    NamespaceSpecValidator.checkUpdate(current, next);
                    return next;
                });
        return UpdateNamespaceResponse.newBuilder().setAsyncOperation(op).build();
    }

    public RenameCustomSearchAttributeResponse renameSearchAttribute(ApiKeyPrincipal p,
                                                                     RenameCustomSearchAttributeRequest request) {
        String id = request.getNamespace();
        String from = request.getExistingCustomSearchAttributeName();
        String to = request.getNewCustomSearchAttributeName();
        NamespaceSpecValidator.checkSearchAttributeName("new_custom_search_attribute_name", to);
        AsyncOperation op = change(Actor.of(p), id, request.getResourceVersion(), request.getAsyncOperationId(),
                "RenameCustomSearchAttribute", from, to, current -> {
                    var type = current.getSearchAttributesMap().get(from);
                    if (type == null) {
                        throw CloudApiException.invalid("existing_custom_search_attribute_name", "\"" + from
                                + "\" is not a search attribute of " + id);
                    }
                    if (current.getSearchAttributesMap().containsKey(to)) {
                        throw CloudApiException.invalid("new_custom_search_attribute_name", "\"" + to
                                + "\" already exists in " + id);
                    }
                    return current.toBuilder().removeSearchAttributes(from).putSearchAttributes(to, type).build();
                });
        return RenameCustomSearchAttributeResponse.newBuilder().setAsyncOperation(op).build();
    }

    public DeleteNamespaceResponse delete(ApiKeyPrincipal p, DeleteNamespaceRequest request) {
        String id = request.getNamespace();
        String operationId = AsyncOperations.operationId(request.getAsyncOperationId());
        Mutation.Result result = store.apply(new Mutation<>(NamespaceRow.class, Actor.of(p), id, operationId,
                "DeleteNamespace", row -> {
                    requireIdle(row, id);
                    AsyncOperations.requireVersion(row, request.getResourceVersion());
                    NamespaceSpec spec = ProtoJson.parseStored(row.spec, NamespaceSpec.newBuilder());
                    if (spec.getLifecycle().getEnableDeleteProtection()) {
                        throw CloudApiException.failedPrecondition("spec.lifecycle.enable_delete_protection",
                                "namespace " + id + " has delete protection on; turn it off with an update first");
                    }
                    row.state = next(row, Event.DELETE);
                    return Change.update(row, true);
                }));
        return DeleteNamespaceResponse.newBuilder().setAsyncOperation(submitted(result)).build();
    }

    public UpdateNamespaceTagsResponse updateTags(ApiKeyPrincipal p, UpdateNamespaceTagsRequest request) {
        String id = request.getNamespace();
        NamespaceSpecValidator.checkTags(request.getTagsToUpsertMap(), "tags_to_upsert");
        String operationId = AsyncOperations.operationId(request.getAsyncOperationId());
        Mutation.Result result = store.apply(new Mutation<>(NamespaceRow.class, Actor.of(p), id, operationId,
                "UpdateNamespaceTags", row -> {
                    requireIdle(row, id);
                    Map<String, String> tags = new TreeMap<>(tags(row.tags));
                    tags.putAll(request.getTagsToUpsertMap());
                    request.getTagsToRemoveList().forEach(tags::remove);
                    String json = tagsJson(tags);
                    if (json.equals(row.tags)) {
                        throw CloudApiException.invalid("tags_to_upsert", "nothing to change");
                    }
                    row.tags = json;
                    return Change.update(row, false);
                }));
        return UpdateNamespaceTagsResponse.newBuilder()
                .setAsyncOperation(AsyncOperations.toProto(result.operation())).build();
    }

    /**
     * Temporal's OperatorService {@code AddSearchAttributes} on a namespace of the control plane, made on the data
     * plane by {@code actor} and forwarded here (docs/internal-api.md): the same versioned spec change as an
     * {@code UpdateNamespace} that adds them, with its async operation and audit record, so the spec stays the one
     * source of truth. Attributes already there with the same type are no change; empty when nothing changes.
     */
    public Optional<AsyncOperation> addSearchAttributes(Actor actor, String id, Map<String, String> typeNames) {
        if (typeNames == null || typeNames.isEmpty()) {
            throw CloudApiException.invalid("add", "names no search attribute");
        }
        Map<String, SearchAttributeType> added = new TreeMap<>();
        typeNames.forEach((name, typeName) -> {
            NamespaceSpecValidator.checkSearchAttributeName("add", name);
            SearchAttributeType type = typeName == null ? null : NamespaceSpecValidator.typeNamed(typeName);
            if (type == null) {
                throw CloudApiException.invalid("add", "\"" + name + "\" has unknown type \"" + typeName
                        + "\" (Text, Keyword, Int, Double, Bool, Datetime, KeywordList)");
            }
            added.put(name, type);
        });
        NamespaceRow row = store.find(NamespaceRow.class, actor.accountId(), id)
                .orElseThrow(() -> CloudApiException.notFound("namespace", id));
        Function<NamespaceSpec, NamespaceSpec> apply = current -> {
            added.forEach((name, type) -> {
                SearchAttributeType existing = current.getSearchAttributesMap().get(name);
                if (existing != null && existing != type) {
                    throw CloudApiException.invalid("add", "search attribute \"" + name + "\" already exists with type "
                            + NamespaceProvisioning.temporalTypeName(existing));
                }
            });
            NamespaceSpec next = current.toBuilder().putAllSearchAttributes(added).build();
            NamespaceSpecValidator.checkSearchAttributeCount("add", next.getSearchAttributesCount());
            return next;
        };
        NamespaceSpec current = ProtoJson.parseStored(row.spec, NamespaceSpec.newBuilder());
        if (apply.apply(current).equals(current)) {
            return Optional.empty();
        }
        // No resource_version: the additions are merged into the spec current in the change's own transaction, so
        // nothing made meanwhile is overwritten.
        return Optional.of(change(actor, id, null, "", "AddSearchAttributes", apply));
    }

    /**
     * A spec change that the data plane must apply: idle namespace, current version (a null {@code resourceVersion}
     * for a change computed from the current spec itself), something to change.
     */
    private AsyncOperation change(Actor actor, String id, String resourceVersion, String requestedOperationId,
                                  String operationType, Function<NamespaceSpec, NamespaceSpec> apply) {
        return change(actor, id, resourceVersion, requestedOperationId, operationType, null, null, apply);
    }

    /**
     * Like {@link #change(Actor, String, String, String, String, Function)}; a rename of search attribute
     * {@code renamedFrom} to {@code renamedTo} (both null for none) hands the old name's field to the new one, so
     * the values runs hold follow.
     */
    private AsyncOperation change(Actor actor, String id, String resourceVersion, String requestedOperationId,
                                  String operationType, String renamedFrom, String renamedTo,
                                  Function<NamespaceSpec, NamespaceSpec> apply) {
        String operationId = AsyncOperations.operationId(requestedOperationId);
        Mutation.Result result = store.apply(new Mutation<>(NamespaceRow.class, actor, id, operationId,
                operationType, row -> {
                    requireIdle(row, id);
                    if (resourceVersion != null) {
                        AsyncOperations.requireVersion(row, resourceVersion);
                    }
                    NamespaceSpec current = ProtoJson.parseStored(row.spec, NamespaceSpec.newBuilder());
                    NamespaceSpec next = apply.apply(current);
                    if (next.equals(current)) {
                        throw CloudApiException.invalid("spec", "nothing to change");
                    }
                    row.spec = ProtoJson.print(next);
                    SearchAttributeFieldsColumn.update(row, current, next, renamedFrom, renamedTo);
                    row.state = next(row, Event.UPDATE);
                    return Change.update(row, true);
                }));
        return submitted(result);
    }

    private AsyncOperation submitted(Mutation.Result result) {
        if (!result.replayed()) {
            runner.submit(result.operation());
        }
        return AsyncOperations.toProto(result.operation());
    }

    private static void requireIdle(NamespaceRow row, String id) {
        if (row == null) {
            throw CloudApiException.notFound("namespace", id);
        }
        if (State.stored(row.state).busy()) {
            throw CloudApiException.failedPrecondition("namespace", "namespace " + id + " has operation "
                    + row.asyncOperationId + " in progress; retry when it has finished");
        }
    }

    private static String next(NamespaceRow row, Event event) {
        return NamespaceLifecycle.next(row.id, State.stored(row.state), event).storedName();
    }

    Namespace toProto(NamespaceRow row) {
        NamespaceSpec spec = ProtoJson.parseStored(row.spec, NamespaceSpec.newBuilder());
        if (!spec.hasApiKeyAuth()) {
            // Temporal Cloud always answers with api_key_auth (enabled or not); Terraform's provider reads its
            // absence as "unknown" and fails the apply of an mTLS-only namespace.
            spec = spec.toBuilder().setApiKeyAuth(ApiKeyAuthSpec.getDefaultInstance()).build();
        }
        ResourceState state = ResourceState.valueOf(row.state);
        return Namespace.newBuilder()
                .setNamespace(row.id)
                .setResourceVersion(String.valueOf(row.resourceVersion))
                .setSpec(spec)
                .setState(state)
                .setStateDeprecated(state.name().substring("RESOURCE_STATE_".length()).toLowerCase(java.util.Locale.ROOT))
                .setAsyncOperationId(row.asyncOperationId == null ? "" : row.asyncOperationId)
                .setEndpoints(Endpoints.newBuilder().setGrpcAddress(grpcAddress).setMtlsGrpcAddress(grpcAddress)
                        .setWebAddress(consoleUrl + "#/namespaces/" + row.id))
                .setActiveRegion(spec.getRegions(0))
                .setLimits(Limits.newBuilder().setActionsPerSecondLimit(actionsPerSecond))
                .putAllTags(tags(row.tags))
                .setCreatedTime(AsyncOperations.timestamp(row.createdAt))
                .setLastModifiedTime(AsyncOperations.timestamp(row.updatedAt))
                .build();
    }

    private static Map<String, String> tags(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags are unreadable", e);
        }
    }

    private static String tagsJson(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
