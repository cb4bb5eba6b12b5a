package dev.aeon.controlplane.identity;

import com.google.protobuf.util.Timestamps;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.operation.ImmediateChanges;
import dev.aeon.controlplane.operation.ResourceProtos;
import dev.aeon.controlplane.proto.Paging;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.security.ApiKeyTokens;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.ApiKeyRow;
import dev.aeon.controlplane.store.Mutation.Change;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.ResourceRow;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.ServiceAccountRow;
import dev.aeon.controlplane.store.UserRow;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyResponse;
import io.temporal.api.cloud.cloudservice.v1.DeleteApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteApiKeyResponse;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeyResponse;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeysRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeysResponse;
import io.temporal.api.cloud.cloudservice.v1.GetCurrentIdentityRequest;
import io.temporal.api.cloud.cloudservice.v1.GetCurrentIdentityResponse;
import io.temporal.api.cloud.cloudservice.v1.UpdateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateApiKeyResponse;
import io.temporal.api.cloud.identity.v1.ApiKey;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import io.temporal.api.cloud.identity.v1.OwnerType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * API keys. The token is made here, returned once in the create response and never stored (only its SHA-256). Anyone
 * manages their own keys; OWNER and ADMIN manage every key of the account. Another identity's key is reported as
 * missing to everyone else.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final int MAX_DISPLAY_NAME = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ResourceStore store;

    @Inject
    ApiKeyTokens tokens;

    public CreateApiKeyResponse create(ApiKeyPrincipal p, CreateApiKeyRequest request) {
        ApiKeySpec spec = validate(request.getSpec());
        dev.aeon.auth.OwnerType ownerType = ownerType(spec.getOwnerType());
        requireManages(p, spec.getOwnerId());
        ResourceRow owner = owner(p, ownerType, spec.getOwnerId()).orElseThrow(() -> CloudApiException.invalid(
                "spec.owner_id", "no " + ownerType.wire + " " + spec.getOwnerId() + " in this account"));
        OwnerAccess.requireMayActOn(p, owner);
        String keyId = newKeyId();
        String token = tokens.issue(keyId, spec.getOwnerId(), ownerType, p.accountId(),
                Instant.ofEpochMilli(Timestamps.toMillis(spec.getExpiryTime())));
        ApiKeyRow row = new ApiKeyRow();
        row.id = keyId;
        row.ownerId = spec.getOwnerId();
        row.ownerType = ownerType.wire;
        row.tokenSha256 = ApiKeyTokens.sha256(token);
        row.spec = ProtoJson.print(spec);
        Mutation.Result result = ImmediateChanges.create(store, p, row, request.getAsyncOperationId(),
                "CreateApiKey");
        CreateApiKeyResponse.Builder response = CreateApiKeyResponse.newBuilder().setKeyId(result.resourceId())
                .setAsyncOperation(AsyncOperations.toProto(result.operation()));
        if (!result.replayed()) {
            response.setToken(token); // shown once: a retry of the same operation cannot show it again
        }
        return response.build();
    }

    /** Issues a key for an account's first owner (bootstrap); returns the token. */
    public String createForOwner(String accountId, String ownerId, String displayName, Instant expiry) {
        ApiKeyPrincipal owner = ApiKeyPrincipal.accountOwner(accountId, ownerId);
        return create(owner, CreateApiKeyRequest.newBuilder().setSpec(ApiKeySpec.newBuilder()
                .setOwnerId(ownerId).setOwnerType(OwnerType.OWNER_TYPE_USER).setDisplayName(displayName)
                .setExpiryTime(Timestamps.fromMillis(expiry.toEpochMilli()))).build()).getToken();
    }

    public GetApiKeyResponse get(ApiKeyPrincipal p, GetApiKeyRequest request) {
        return GetApiKeyResponse.newBuilder().setApiKey(toProto(visible(p, request.getKeyId()))).build();
    }

    public GetApiKeysResponse list(ApiKeyPrincipal p, GetApiKeysRequest request) {
        Paging paging = Paging.of(request.getPageSize(), request.getPageToken());
        Map<String, Object> equal = new HashMap<>();
        if (!request.getOwnerId().isEmpty()) {
            equal.put("ownerId", request.getOwnerId());
        }
        if (request.getOwnerType() != OwnerType.OWNER_TYPE_UNSPECIFIED) {
            equal.put("ownerType", ownerType(request.getOwnerType()).wire);
        }
        if (!p.isAccountAdmin()) {
            if (!request.getOwnerId().isEmpty() && !request.getOwnerId().equals(p.ownerId())) {
                return GetApiKeysResponse.getDefaultInstance();
            }
            equal.put("ownerId", p.ownerId());
        }
        var page = paging.page(store.list(ApiKeyRow.class, p.accountId(), new ResourceStore.ListFilter(equal, null),
                paging.afterId(), paging.fetchSize()), r -> r.id);
        GetApiKeysResponse.Builder response = GetApiKeysResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.rows().forEach(row -> response.addApiKeys(toProto(row)));
        return response.build();
    }

    public UpdateApiKeyResponse update(ApiKeyPrincipal p, UpdateApiKeyRequest request) {
        requireMayActOnOwnerOf(p, visible(p, request.getKeyId()));
        ApiKeySpec next = validate(request.getSpec());
        Mutation.Result result = store.apply(new Mutation<>(ApiKeyRow.class, Actor.of(p), request.getKeyId(),
                AsyncOperations.operationId(request.getAsyncOperationId()), "UpdateApiKey", row -> {
                    ApiKeyRow current = ResourceProtos.existing(row, "API key", request.getKeyId());
                    AsyncOperations.requireVersion(current, request.getResourceVersion());
                    ApiKeySpec spec = ProtoJson.parseStored(current.spec, ApiKeySpec.newBuilder());
                    if (!spec.getOwnerId().equals(next.getOwnerId()) || spec.getOwnerType() != next.getOwnerType()) {
                        throw CloudApiException.invalid("spec.owner_id", "the owner of a key cannot change");
                    }
                    if (!spec.getExpiryTime().equals(next.getExpiryTime())) {
                        throw CloudApiException.invalid("spec.expiry_time", "the expiry of a key cannot change");
                    }
                    if (spec.equals(next)) {
                        throw CloudApiException.invalid("spec", "nothing to change");
                    }
                    current.spec = ProtoJson.print(next);
                    return Change.update(current, false);
                }));
        return UpdateApiKeyResponse.newBuilder().setAsyncOperation(AsyncOperations.toProto(result.operation())).build();
    }

    public DeleteApiKeyResponse delete(ApiKeyPrincipal p, DeleteApiKeyRequest request) {
        requireMayActOnOwnerOf(p, visible(p, request.getKeyId()));
        return DeleteApiKeyResponse.newBuilder().setAsyncOperation(ImmediateChanges.delete(store, p, ApiKeyRow.class,
                "API key", request.getKeyId(), request.getResourceVersion(), request.getAsyncOperationId(), "DeleteApiKey")).build();
    }

    /** Who the caller is: its user or service account, and the API key it called with. */
    public GetCurrentIdentityResponse currentIdentity(ApiKeyPrincipal p, GetCurrentIdentityRequest request) {
        GetCurrentIdentityResponse.Builder response = GetCurrentIdentityResponse.newBuilder();
        if (p.isUser()) {
            store.find(UserRow.class, p.accountId(), p.ownerId()).ifPresent(u -> response.setUser(UserService.toProto(u)));
        } else {
            store.find(ServiceAccountRow.class, p.accountId(), p.ownerId())
                    .ifPresent(sa -> response.setServiceAccount(ServiceAccountService.toProto(sa)));
        }
        if (p.keyId() != null) {
            store.find(ApiKeyRow.class, p.accountId(), p.keyId()).ifPresent(k -> response.setPrincipalApiKey(toProto(k)));
        }
        return response.build();
    }

    /** The key if the principal may manage it; otherwise NOT_FOUND, as for a missing key. */
    private ApiKeyRow visible(ApiKeyPrincipal p, String keyId) {
        return store.find(ApiKeyRow.class, p.accountId(), keyId)
                .filter(row -> p.isAccountAdmin() || row.ownerId.equals(p.ownerId()))
                .orElseThrow(() -> CloudApiException.notFound("API key", keyId));
    }

    private Optional<ResourceRow> owner(ApiKeyPrincipal p, dev.aeon.auth.OwnerType type, String ownerId) {
        return type == dev.aeon.auth.OwnerType.USER
                ? store.find(UserRow.class, p.accountId(), ownerId).map(ResourceRow.class::cast)
                : store.find(ServiceAccountRow.class, p.accountId(), ownerId).map(ResourceRow.class::cast);
    }

    /** An OWNER's keys are managed by OWNERs only (disabling them would lock the owner out). */
    private void requireMayActOnOwnerOf(ApiKeyPrincipal p, ApiKeyRow key) {
        owner(p, dev.aeon.auth.OwnerType.fromWire(key.ownerType), key.ownerId)
                .ifPresent(owner -> OwnerAccess.requireMayActOn(p, owner));
    }

    private static void requireManages(ApiKeyPrincipal p, String ownerId) {
        if (!p.isAccountAdmin() && !ownerId.equals(p.ownerId())) {
            throw CloudApiException.denied("account role OWNER or ADMIN is required to manage another identity's"
                    + " API keys");
        }
    }

    private static ApiKeySpec validate(ApiKeySpec spec) {
        ApiKeySpec.Builder out = spec.toBuilder().clearOwnerTypeDeprecated();
        if (spec.getOwnerType() == OwnerType.OWNER_TYPE_UNSPECIFIED && !spec.getOwnerTypeDeprecated().isEmpty()) {
            out.setOwnerType(switch (spec.getOwnerTypeDeprecated()) {
                case "user" -> OwnerType.OWNER_TYPE_USER;
                case "service-account", "service_account" -> OwnerType.OWNER_TYPE_SERVICE_ACCOUNT;
                default -> throw CloudApiException.invalid("spec.owner_type", "unknown owner type \""
                        + spec.getOwnerTypeDeprecated() + "\"");
            });
        }
        ownerType(out.getOwnerType());
        if (spec.getOwnerId().isEmpty()) {
            throw CloudApiException.invalid("spec.owner_id", "is required");
        }
        if (spec.getDisplayName().isBlank() || spec.getDisplayName().length() > MAX_DISPLAY_NAME) {
            throw CloudApiException.invalid("spec.display_name", "is required, at most " + MAX_DISPLAY_NAME
                    + " characters");
        }
        if (!spec.hasExpiryTime() || Timestamps.toMillis(spec.getExpiryTime()) <= System.currentTimeMillis()) {
            throw CloudApiException.invalid("spec.expiry_time", "is required and must be in the future");
        }
        return out.build();
    }

    private static dev.aeon.auth.OwnerType ownerType(OwnerType type) {
        return switch (type) {
            case OWNER_TYPE_USER -> dev.aeon.auth.OwnerType.USER;
            case OWNER_TYPE_SERVICE_ACCOUNT -> dev.aeon.auth.OwnerType.SERVICE_ACCOUNT;
            default -> throw CloudApiException.invalid("spec.owner_type", "must be OWNER_TYPE_USER or"
                    + " OWNER_TYPE_SERVICE_ACCOUNT");
        };
    }

    private static String newKeyId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "k-" + HexFormat.of().formatHex(bytes);
    }

    static ApiKey toProto(ApiKeyRow row) {
        return ResourceProtos.toProto(ApiKey.newBuilder(), row, "id");
    }
}
