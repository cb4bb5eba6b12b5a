package dev.aeon.controlplane.identity;

import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.operation.ImmediateChanges;
import dev.aeon.controlplane.operation.ResourceProtos;
import dev.aeon.controlplane.proto.Paging;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.Mutation.Change;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.UserRow;
import io.temporal.api.cloud.cloudservice.v1.CreateUserRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateUserResponse;
import io.temporal.api.cloud.cloudservice.v1.DeleteUserRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteUserResponse;
import io.temporal.api.cloud.cloudservice.v1.GetUserRequest;
import io.temporal.api.cloud.cloudservice.v1.GetUserResponse;
import io.temporal.api.cloud.cloudservice.v1.GetUsersRequest;
import io.temporal.api.cloud.cloudservice.v1.GetUsersResponse;
import io.temporal.api.cloud.cloudservice.v1.SetUserNamespaceAccessRequest;
import io.temporal.api.cloud.cloudservice.v1.SetUserNamespaceAccessResponse;
import io.temporal.api.cloud.cloudservice.v1.UpdateUserRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateUserResponse;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.AccountAccess;
import io.temporal.api.cloud.identity.v1.User;
import io.temporal.api.cloud.identity.v1.UserSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Users of an account. Everyone in the account reads them; OWNER and ADMIN change them. */
@ApplicationScoped
public class UserService {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    @Inject
    ResourceStore store;

    @Inject
    AccessGrants grants;

    public CreateUserResponse create(ApiKeyPrincipal p, CreateUserRequest request) {
        UserSpec spec = validate(p, request.getSpec());
        String id = "u-" + UUID.randomUUID();
        UserRow row = new UserRow();
        row.id = id;
        row.email = spec.getEmail();
        row.spec = ProtoJson.print(spec);
        Mutation.Result result = ImmediateChanges.create(store, p, row, request.getAsyncOperationId(),
                "CreateUser");
        return CreateUserResponse.newBuilder().setUserId(result.resourceId())
                .setAsyncOperation(AsyncOperations.toProto(result.operation())).build();
    }

    /** Creates an account's first owner, before any principal exists (bootstrap). */
    public String createOwner(String accountId, String email) {
        String id = "u-" + UUID.randomUUID();
        UserSpec spec = UserSpec.newBuilder().setEmail(email.toLowerCase(Locale.ROOT))
                .setAccess(Access.newBuilder().setAccountAccess(
                        AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_OWNER)))
                .build();
        UserRow row = new UserRow();
        row.id = id;
        row.email = spec.getEmail();
        row.spec = ProtoJson.print(spec);
        ApiKeyPrincipal system = ApiKeyPrincipal.accountOwner(accountId, id);
        ImmediateChanges.create(store, system, row, "bootstrap-owner-" + id, "CreateUser");
        return id;
    }

    public GetUserResponse get(ApiKeyPrincipal p, GetUserRequest request) {
        UserRow row = store.find(UserRow.class, p.accountId(), request.getUserId())
                .orElseThrow(() -> CloudApiException.notFound("user", request.getUserId()));
        return GetUserResponse.newBuilder().setUser(toProto(row)).build();
    }

    public GetUsersResponse list(ApiKeyPrincipal p, GetUsersRequest request) {
        Paging paging = Paging.of(request.getPageSize(), request.getPageToken());
        Map<String, Object> equal = request.getEmail().isEmpty() ? Map.of()
                : Map.of("email", request.getEmail().toLowerCase(Locale.ROOT));
        var page = paging.page(store.list(UserRow.class, p.accountId(), new ResourceStore.ListFilter(equal, null),
                paging.afterId(), paging.fetchSize()), r -> r.id);
        GetUsersResponse.Builder response = GetUsersResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.rows().stream().map(UserService::toProto)
                .filter(u -> request.getNamespace().isEmpty()
                        || u.getSpec().getAccess().containsNamespaceAccesses(request.getNamespace()))
                .forEach(response::addUsers);
        return response.build();
    }

    public UpdateUserResponse update(ApiKeyPrincipal p, UpdateUserRequest request) {
        UserSpec next = validate(p, request.getSpec());
        Mutation.Result result = store.apply(new Mutation<>(UserRow.class, Actor.of(p), request.getUserId(),
                AsyncOperations.operationId(request.getAsyncOperationId()), "UpdateUser", row -> {
                    UserRow current = ResourceProtos.existing(row, "user", request.getUserId());
                    OwnerAccess.requireMayActOn(p, current);
                    AsyncOperations.requireVersion(current, request.getResourceVersion());
                    if (!current.email.equals(next.getEmail())) {
                        throw CloudApiException.invalid("spec.email", "cannot change (\"" + current.email + "\")");
                    }
                    if (ProtoJson.print(next).equals(current.spec)) {
                        throw CloudApiException.invalid("spec", "nothing to change");
                    }
                    current.spec = ProtoJson.print(next);
                    return Change.update(current, false);
                }));
        return UpdateUserResponse.newBuilder().setAsyncOperation(AsyncOperations.toProto(result.operation())).build();
    }

    public DeleteUserResponse delete(ApiKeyPrincipal p, DeleteUserRequest request) {
        return DeleteUserResponse.newBuilder().setAsyncOperation(ImmediateChanges.delete(store, p, UserRow.class,
                "user", request.getUserId(), request.getResourceVersion(), request.getAsyncOperationId(),
                "DeleteUser", current -> OwnerAccess.requireMayActOn(p, current))).build();
    }

    public SetUserNamespaceAccessResponse setNamespaceAccess(ApiKeyPrincipal p, SetUserNamespaceAccessRequest request) {
        return SetUserNamespaceAccessResponse.newBuilder().setAsyncOperation(grants.set(p, UserRow.class, "user",
                request.getUserId(), request.getNamespace(), request.getAccess(), request.getResourceVersion(),
                request.getAsyncOperationId(), "SetUserNamespaceAccess")).build();
    }

    private UserSpec validate(ApiKeyPrincipal p, UserSpec spec) {
        if (!EMAIL.matcher(spec.getEmail()).matches()) {
            throw CloudApiException.invalid("spec.email", "must be an email address; was \"" + spec.getEmail() + "\"");
        }
        return spec.toBuilder().setEmail(spec.getEmail().toLowerCase(Locale.ROOT))
                .setAccess(OwnerAccess.validate(p, spec.getAccess(), "spec.access", store)).build();
    }

    static User toProto(UserRow row) {
        return ResourceProtos.toProto(User.newBuilder(), row, "id");
    }
}
