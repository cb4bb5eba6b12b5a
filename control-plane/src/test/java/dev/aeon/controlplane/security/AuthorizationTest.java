package dev.aeon.controlplane.security;

import dev.aeon.auth.Access;
import dev.aeon.auth.AccountRole;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.controlplane.error.CloudApiException;
import io.temporal.api.cloud.cloudservice.v1.CreateUserRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.GetNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.GetUserRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The declared-access decisions {@code CloudOperations} makes before any service runs; no database. */
class AuthorizationTest {

    private static final String ORDERS = "orders.acme";

    @Test
    void anyKeyOfTheAccountPasses() {
        for (AccountRole role : new AccountRole[]{AccountRole.OWNER, AccountRole.READ, null}) {
            assertDoesNotThrow(() -> Authorization.require(caller(role, Map.of()), RequiredAccess.anyKey(),
                    GetUserRequest.getDefaultInstance()));
        }
    }

    @Test
    void accountRolesAreNamedInTheRefusal() {
        RequiredAccess admin = RequiredAccess.accountAdmin("create users");
        assertDoesNotThrow(() -> Authorization.require(caller(AccountRole.OWNER, Map.of()), admin, create()));
        assertDoesNotThrow(() -> Authorization.require(caller(AccountRole.ADMIN, Map.of()), admin, create()));
        assertDenied("account role OWNER or ADMIN is required to create users; the caller's role is DEVELOPER",
                caller(AccountRole.DEVELOPER, Map.of(ORDERS, NamespacePermission.ADMIN)), admin, create());
        assertDenied("account role OWNER or ADMIN is required to create users; the caller's role is none"
                + " (namespace-scoped)", caller(null, Map.of(ORDERS, NamespacePermission.ADMIN)), admin, create());

        RequiredAccess creator = RequiredAccess.accountRole(List.of(AccountRole.OWNER, AccountRole.ADMIN,
                AccountRole.DEVELOPER), "create a namespace");
        assertDoesNotThrow(() -> Authorization.require(caller(AccountRole.DEVELOPER, Map.of()), creator, create()));
        assertDenied("account role OWNER, ADMIN or DEVELOPER is required to create a namespace; the caller's role"
                + " is READ", caller(AccountRole.READ, Map.of()), creator, create());
    }

    @Test
    void namespaceRulesReadTheRequestsNamespaceField() {
        RequiredAccess delete = RequiredAccess.onNamespace(NamespacePermission.ADMIN, "delete the namespace");
        ApiKeyPrincipal writer = caller(AccountRole.DEVELOPER, Map.of(ORDERS, NamespacePermission.WRITE));

        assertDenied("namespace permission ADMIN is required to delete the namespace on orders.acme; the caller has"
                + " WRITE", writer, delete, DeleteNamespaceRequest.newBuilder().setNamespace(ORDERS).build());
        assertDoesNotThrow(() -> Authorization.require(caller(AccountRole.DEVELOPER,
                Map.of(ORDERS, NamespacePermission.ADMIN)), delete, DeleteNamespaceRequest.newBuilder()
                .setNamespace(ORDERS).build()));
        // READ role reads every namespace of its account, and nothing more.
        assertDoesNotThrow(() -> Authorization.require(caller(AccountRole.READ, Map.of()),
                RequiredAccess.onNamespace(NamespacePermission.READ, "read the namespace"),
                GetNamespaceRequest.newBuilder().setNamespace("billing.acme").build()));
    }

    @Test
    void aNamespaceTheCallerCannotSeeIsMissing() {
        RequiredAccess read = RequiredAccess.onNamespace(NamespacePermission.READ, "read the namespace");
        for (String namespace : new String[]{"billing.acme", "orders.other"}) {
            CloudApiException e = assertThrows(CloudApiException.class, () -> Authorization.require(
                    caller(AccountRole.DEVELOPER, Map.of(ORDERS, NamespacePermission.ADMIN)), read,
                    GetNamespaceRequest.newBuilder().setNamespace(namespace).build()));
            assertEquals(CloudApiException.Code.NOT_FOUND, e.code());
            assertEquals("namespace not found: " + namespace, e.getMessage());
        }
    }

    @Test
    void aNamespaceRuleOnARequestWithoutANamespaceIsRefusedAtDeclaration() {
        assertThrows(IllegalArgumentException.class,
                () -> Authorization.namespaceField(CreateUserRequest.getDescriptor()));
    }

    private static CreateUserRequest create() {
        return CreateUserRequest.getDefaultInstance();
    }

    private static void assertDenied(String message, ApiKeyPrincipal p, RequiredAccess required,
                                     com.google.protobuf.Message request) {
        CloudApiException e = assertThrows(CloudApiException.class, () -> Authorization.require(p, required, request));
        assertEquals(CloudApiException.Code.PERMISSION_DENIED, e.code());
        assertEquals(message, e.getMessage());
    }

    private static ApiKeyPrincipal caller(AccountRole role, Map<String, NamespacePermission> grants) {
        return new ApiKeyPrincipal("k-1", "acme", "u-1", "user",
                new Access("k-1", "acme", "u-1", "user", true, null, role, grants));
    }
}
