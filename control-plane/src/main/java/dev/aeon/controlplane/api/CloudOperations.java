package dev.aeon.controlplane.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import dev.aeon.auth.AccountRole;
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
import dev.aeon.controlplane.schedule.ScheduleService;
import dev.aeon.controlplane.security.Authorization;
import dev.aeon.controlplane.security.KeyAccessResolver;
import dev.aeon.controlplane.security.RequiredAccess;
import dev.aeon.controlplane.store.DuplicateKeyException;
import io.temporal.api.cloud.cloudservice.v1.*;
import io.temporal.api.workflowservice.v1.CountSchedulesRequest;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.aeon.auth.NamespacePermission.ADMIN;
import static dev.aeon.auth.NamespacePermission.READ;
import static dev.aeon.auth.NamespacePermission.WRITE;
import static dev.aeon.controlplane.security.RequiredAccess.accountAdmin;
import static dev.aeon.controlplane.security.RequiredAccess.accountRole;
import static dev.aeon.controlplane.security.RequiredAccess.anyKey;
import static dev.aeon.controlplane.security.RequiredAccess.onNamespace;

/**
 * The one path of every Cloud Ops call, whichever face it came through (gRPC or REST), and of the schedule RPCs of
 * Temporal's WorkflowService that the REST face serves under {@code /cloud}: authenticate the API key,
 * check the access the RPC requires, then hand the request to the service that implements it. Blocking: call from a
 * worker thread.
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
    AsyncOperations asyncOperations;
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
    @Inject
    ScheduleService schedules;

    /** An RPC: what it requires of its caller, and the service method that implements it. */
    private record Operation(RequiredAccess required, Handler<Message, Message> handler) {
    }

    private final Map<Class<?>, Operation> operations = new HashMap<>();

    /**
     * Every RPC Aeon implements, with the access it requires (checked before its service runs). What depends on
     * the resource a call acts on is the service's: only an OWNER acts on an OWNER, a caller manages its own API keys
     * (OWNER and ADMIN every key), a Nexus endpoint needs ADMIN on its target namespace, lists show what the caller
     * may see.
     */
    @PostConstruct
    void register() {
        on(GetAsyncOperationRequest.class, anyKey(), asyncOperations::get);
        on(GetAccountRequest.class, anyKey(), accounts::get);
        on(GetCurrentIdentityRequest.class, anyKey(), apiKeys::currentIdentity);
        on(GetRegionsRequest.class, anyKey(), (p, r) -> regions.list(r));
        on(GetRegionRequest.class, anyKey(), (p, r) -> regions.get(r));
        on(GetAuditLogsRequest.class, accountAdmin("read the audit log"), auditLog::get);

        on(CreateNamespaceRequest.class, accountRole(List.of(AccountRole.OWNER, AccountRole.ADMIN,
                AccountRole.DEVELOPER), "create a namespace"), namespaces::create);
        on(GetNamespaceRequest.class, onNamespace(READ, "read the namespace"), namespaces::get);
        on(GetNamespacesRequest.class, anyKey(), namespaces::list);
        on(UpdateNamespaceRequest.class, onNamespace(ADMIN, "update the namespace"), namespaces::update);
        on(DeleteNamespaceRequest.class, onNamespace(ADMIN, "delete the namespace"), namespaces::delete);
        on(RenameCustomSearchAttributeRequest.class, onNamespace(ADMIN, "rename a search attribute"),
                namespaces::renameSearchAttribute);
        on(UpdateNamespaceTagsRequest.class, onNamespace(ADMIN, "tag the namespace"), namespaces::updateTags);

        on(CreateUserRequest.class, accountAdmin("create users"), users::create);
        on(GetUserRequest.class, anyKey(), users::get);
        on(GetUsersRequest.class, anyKey(), users::list);
        on(UpdateUserRequest.class, accountAdmin("update users"), users::update);
        on(DeleteUserRequest.class, accountAdmin("delete users"), users::delete);
        on(SetUserNamespaceAccessRequest.class, onNamespace(ADMIN, "manage access to the namespace"),
                users::setNamespaceAccess);

        on(CreateServiceAccountRequest.class, accountAdmin("create service accounts"), serviceAccounts::create);
        on(GetServiceAccountRequest.class, anyKey(), serviceAccounts::get);
        on(GetServiceAccountsRequest.class, anyKey(), serviceAccounts::list);
        on(UpdateServiceAccountRequest.class, accountAdmin("update service accounts"), serviceAccounts::update);
        on(DeleteServiceAccountRequest.class, accountAdmin("delete service accounts"), serviceAccounts::delete);
        on(SetServiceAccountNamespaceAccessRequest.class, onNamespace(ADMIN, "manage access to the namespace"),
                serviceAccounts::setNamespaceAccess);

        on(CreateApiKeyRequest.class, anyKey(), apiKeys::create);
        on(GetApiKeyRequest.class, anyKey(), apiKeys::get);
        on(GetApiKeysRequest.class, anyKey(), apiKeys::list);
        on(UpdateApiKeyRequest.class, anyKey(), apiKeys::update);
        on(DeleteApiKeyRequest.class, anyKey(), apiKeys::delete);

        // A namespace's schedules, as Temporal's frontend authorizes them: reading needs READ, changing needs WRITE.
        on(CreateScheduleRequest.class, onNamespace(WRITE, "create schedules"), schedules::call);
        on(DescribeScheduleRequest.class, onNamespace(READ, "read schedules"), schedules::call);
        on(ListSchedulesRequest.class, onNamespace(READ, "read schedules"), schedules::call);
        on(CountSchedulesRequest.class, onNamespace(READ, "read schedules"), schedules::call);
        on(ListScheduleMatchingTimesRequest.class, onNamespace(READ, "read schedules"), schedules::call);
        on(UpdateScheduleRequest.class, onNamespace(WRITE, "update schedules"), schedules::call);
        on(PatchScheduleRequest.class, onNamespace(WRITE, "pause, trigger or backfill schedules"), schedules::call);
        on(DeleteScheduleRequest.class, onNamespace(WRITE, "delete schedules"), schedules::call);

        on(CreateNexusEndpointRequest.class, anyKey(), nexusEndpoints::create);
        on(GetNexusEndpointRequest.class, anyKey(), nexusEndpoints::get);
        on(GetNexusEndpointsRequest.class, anyKey(), nexusEndpoints::list);
        on(UpdateNexusEndpointRequest.class, anyKey(), nexusEndpoints::update);
        on(DeleteNexusEndpointRequest.class, anyKey(), nexusEndpoints::delete);
    }

    @SuppressWarnings("unchecked")
    private <Q extends Message, S extends Message> void on(Class<Q> request, RequiredAccess required,
                                                           Handler<Q, S> handler) {
        if (required instanceof RequiredAccess.OnNamespace) {
            Authorization.namespaceField(descriptor(request)); // a wrong declaration stops the start
        }
        operations.put(request, new Operation(required, (Handler<Message, Message>) handler));
    }

    private static Descriptor descriptor(Class<? extends Message> type) {
        try {
            return (Descriptor) type.getMethod("getDescriptor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " is not a generated message", e);
        }
    }

    public boolean implemented(Class<?> requestType) {
        return operations.containsKey(requestType);
    }

    /**
     * Authenticates {@code authorization} ({@code Bearer <api key>}) and runs the request as that principal. A
     * mutation that fails is logged in the audit log here (one that succeeds, by the store with its change).
     */
    public Message invoke(String authorization, Message request) {
        Operation operation = operations.get(request.getClass());
        if (operation == null) {
            throw new CloudApiException(CloudApiException.Code.UNIMPLEMENTED, null,
                    request.getDescriptorForType().getName().replaceFirst("Request$", "") + " is not implemented by Aeon");
        }
        ApiKeyPrincipal principal = keys.authenticate(authorization);
        try {
            NoNulCharacters.check(request);
            return run(operation, principal, request);
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

    /** The RPC's declared access, then its service; a unique constraint's refusal in the store's words is mapped. */
    private static Message run(Operation operation, ApiKeyPrincipal principal, Message request) {
        Authorization.require(principal, operation.required(), request);
        try {
            return operation.handler().handle(principal, request);
        } catch (DuplicateKeyException e) {
            throw alreadyExists(e);
        }
    }

    /** A unique constraint's refusal as ALREADY_EXISTS naming the request field it protects. */
    static CloudApiException alreadyExists(DuplicateKeyException e) {
        String field = CONSTRAINT_FIELDS.get(e.constraint());
        return CloudApiException.alreadyExists(field, (field == null ? "resource" : field)
                + ": already exists (unique " + e.constraint() + ")");
    }
}
