package dev.aeon.controlplane.api;

import com.google.protobuf.Message;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.account.AccountService;
import dev.aeon.controlplane.audit.AuditLog;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.identity.ApiKeyService;
import dev.aeon.controlplane.identity.ServiceAccountService;
import dev.aeon.controlplane.identity.UserService;
import dev.aeon.controlplane.namespace.NamespaceService;
import dev.aeon.controlplane.namespace.Regions;
import dev.aeon.controlplane.nexus.NexusEndpointService;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.security.KeyAccessResolver;
import dev.aeon.controlplane.store.DuplicateKeyException;
import io.temporal.api.cloud.cloudservice.v1.*;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;

/**
 * The one path of every Cloud Ops call, whichever face it came through (gRPC or REST): authenticate the API key, then
 * hand the request to the service that implements it. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class CloudOperations {

    /** One RPC of {@code CloudService}. */
    @FunctionalInterface
    public interface Handler<Q extends Message, S extends Message> {
        S handle(ApiKeyPrincipal principal, Q request);
    }

    private static final Logger LOG = Logger.getLogger(CloudOperations.class);
    /** Which request field each unique constraint of the schema protects. */
    private static final Map<String, String> CONSTRAINT_FIELDS = Map.of(
            "namespace_pkey", "spec.name",
            "namespace_name_unique", "spec.name",
            "cloud_user_email_unique", "spec.email",
            "nexus_endpoint_name_unique", "spec.name",
            "async_operation_pkey", "async_operation_id");

    @Inject
    KeyAccessResolver keys;
    @Inject
    AsyncOperations operations;
    @Inject
    NamespaceService namespaces;
    @Inject
    Regions regions;
    @Inject
    UserService users;
    @Inject
    ServiceAccountService serviceAccounts;
    @Inject
    ApiKeyService apiKeys;
    @Inject
    NexusEndpointService nexusEndpoints;
    @Inject
    AccountService accounts;
    @Inject
    AuditLog auditLog;

    private final Map<Class<?>, Handler<?, ?>> handlers = new HashMap<>();

    @PostConstruct
    void register() {
        on(GetAsyncOperationRequest.class, operations::get);
        on(GetAccountRequest.class, accounts::get);
        on(GetCurrentIdentityRequest.class, apiKeys::currentIdentity);
        on(GetRegionsRequest.class, (p, r) -> regions.list(r));
        on(GetRegionRequest.class, (p, r) -> regions.get(r));
        on(GetAuditLogsRequest.class, auditLog::get);

        on(CreateNamespaceRequest.class, namespaces::create);
        on(GetNamespaceRequest.class, namespaces::get);
        on(GetNamespacesRequest.class, namespaces::list);
        on(UpdateNamespaceRequest.class, namespaces::update);
        on(DeleteNamespaceRequest.class, namespaces::delete);
        on(RenameCustomSearchAttributeRequest.class, namespaces::renameSearchAttribute);
        on(UpdateNamespaceTagsRequest.class, namespaces::updateTags);

        on(CreateUserRequest.class, users::create);
        on(GetUserRequest.class, users::get);
        on(GetUsersRequest.class, users::list);
        on(UpdateUserRequest.class, users::update);
        on(DeleteUserRequest.class, users::delete);
        on(SetUserNamespaceAccessRequest.class, users::setNamespaceAccess);

        on(CreateServiceAccountRequest.class, serviceAccounts::create);
        on(GetServiceAccountRequest.class, serviceAccounts::get);
        on(GetServiceAccountsRequest.class, serviceAccounts::list);
        on(UpdateServiceAccountRequest.class, serviceAccounts::update);
        on(DeleteServiceAccountRequest.class, serviceAccounts::delete);
        on(SetServiceAccountNamespaceAccessRequest.class, serviceAccounts::setNamespaceAccess);

        on(CreateApiKeyRequest.class, apiKeys::create);
        on(GetApiKeyRequest.class, apiKeys::get);
        on(GetApiKeysRequest.class, apiKeys::list);
        on(UpdateApiKeyRequest.class, apiKeys::update);
        on(DeleteApiKeyRequest.class, apiKeys::delete);

        on(CreateNexusEndpointRequest.class, nexusEndpoints::create);
        on(GetNexusEndpointRequest.class, nexusEndpoints::get);
        on(GetNexusEndpointsRequest.class, nexusEndpoints::list);
        on(UpdateNexusEndpointRequest.class, nexusEndpoints::update);
        on(DeleteNexusEndpointRequest.class, nexusEndpoints::delete);
    }

    private <Q extends Message, S extends Message> void on(Class<Q> request, Handler<Q, S> handler) {
        handlers.put(request, handler);
    }

    public boolean implemented(Class<?> requestType) {
        return handlers.containsKey(requestType);
    }

    /**
     * Authenticates {@code authorization} ({@code Bearer <api key>}) and runs the request as that principal. A
     * mutation that fails is logged in the audit log here (one that succeeds, by the store with its change).
     */
    @SuppressWarnings("unchecked")
    public Message invoke(String authorization, Message request) {
        Handler<Message, Message> handler = (Handler<Message, Message>) handlers.get(request.getClass());
        if (handler == null) {
            throw new CloudApiException(CloudApiException.Code.UNIMPLEMENTED, null,
                    request.getDescriptorForType().getName().replaceFirst("Request$", "") + " is not implemented by Aeon");
        }
        ApiKeyPrincipal principal = keys.authenticate(authorization);
        try {
            try {
                return handler.handle(principal, request);
            } catch (DuplicateKeyException e) {
                throw alreadyExists(e);
            }
        } catch (CloudApiException e) {
            if (AuditLog.isMutation(request)) {
                try {
                    auditLog.recordRefusal(principal, request, e);
                } catch (RuntimeException logFailure) {
                    e.addSuppressed(logFailure); // the caller still learns why its call was refused
                    LOG.error("cannot log a refused " + request.getDescriptorForType().getName(), logFailure);
                }
            }
            throw e;
        }
    }

    /** A unique constraint's refusal as ALREADY_EXISTS naming the request field it protects. */
    static CloudApiException alreadyExists(DuplicateKeyException e) {
        String field = CONSTRAINT_FIELDS.get(e.constraint());
        return CloudApiException.alreadyExists(field, (field == null ? "resource" : field)
                + ": already exists (unique " + e.constraint() + ")");
    }
}
