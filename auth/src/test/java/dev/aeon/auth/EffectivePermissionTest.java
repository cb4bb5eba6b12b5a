package dev.aeon.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract's effective-permission rules, and how refusals are worded. */
class EffectivePermissionTest {

    private static final String ACCOUNT = "a1b2c3";

    @ParameterizedTest(name = "{0} with grant {1} on orders → {2}")
    @CsvSource(nullValues = "-", value = {
            // role,     grant on orders, effective on orders, effective on billing (no grant)
            "OWNER,     -,     ADMIN, ADMIN",
            "ADMIN,     READ,  ADMIN, ADMIN",
            "DEVELOPER, WRITE, WRITE, -",
            "DEVELOPER, ADMIN, ADMIN, -",
            "DEVELOPER, -,     -,     -",
            "READ,      -,     READ,  READ",
            "READ,      WRITE, WRITE, READ",
    })
    void matrix(AccountRole role, NamespacePermission grant, NamespacePermission onOrders,
                NamespacePermission onBilling) {
        Access access = access(role, grant == null ? Map.of() : Map.of("orders." + ACCOUNT, grant));

        assertEquals(Optional.ofNullable(onOrders), access.effectivePermission("orders." + ACCOUNT));
        assertEquals(Optional.ofNullable(onBilling), access.effectivePermission("billing." + ACCOUNT));
    }

    @ParameterizedTest
    @CsvSource({"OWNER", "ADMIN", "DEVELOPER", "READ"})
    void nothingOutsideTheAccountWhateverTheGrants(AccountRole role) {
        // A grant naming another account's namespace (a bug upstream) must not open it.
        Access access = access(role, Map.of("orders.other", NamespacePermission.ADMIN));

        assertEquals(Optional.empty(), access.effectivePermission("orders.other"));
        assertEquals(Optional.empty(), access.effectivePermission("orders.x" + ACCOUNT));
        assertEquals(Optional.empty(), access.effectivePermission(ACCOUNT));
        assertEquals(Optional.empty(), access.effectivePermission("." + ACCOUNT));
    }

    @Test
    void theAccountPartIsComparedExactlyNotAsASuffix() {
        // Were "b.evil" an account, a suffix test would hand its namespaces to account "evil" too.
        Access evil = access(AccountRole.OWNER, Map.of());
        Access dotted = new Access("k-2", "b.evil", "u-1", "user", true, null, AccountRole.OWNER, Map.of());
        Access plainEvil = new Access("k-3", "evil", "u-1", "user", true, null, AccountRole.OWNER, Map.of());

        assertEquals(Optional.empty(), plainEvil.effectivePermission("x.b.evil"));
        assertEquals(Optional.empty(), dotted.effectivePermission("x.b.evil"));
        assertEquals(Optional.of(NamespacePermission.ADMIN), plainEvil.effectivePermission("x.evil"));
        assertEquals(Optional.of(NamespacePermission.ADMIN), evil.effectivePermission("orders." + ACCOUNT));
        assertFalse(NamespaceNames.belongsTo("orders.sub." + ACCOUNT, ACCOUNT));
        assertEquals(Optional.of(ACCOUNT), NamespaceNames.accountOf("orders." + ACCOUNT));
    }

    @Test
    void accountIdsAreLabelsWithoutDots() {
        for (String valid : List.of("acme", "a1b2c3", "local", "acct-1")) {
            assertEquals(null, NamespaceNames.invalidAccountId(valid), valid);
        }
        for (String invalid : List.of("b.evil", "", "a", "Acme", "1acme", "acme-", "ac me", "a".repeat(40))) {
            assertTrue(NamespaceNames.invalidAccountId(invalid) != null, invalid);
        }
    }

    @Test
    void permissionsAreOrdered() {
        assertTrue(NamespacePermission.ADMIN.includes(NamespacePermission.WRITE));
        assertTrue(NamespacePermission.WRITE.includes(NamespacePermission.READ));
        assertTrue(NamespacePermission.READ.includes(NamespacePermission.READ));
        assertFalse(NamespacePermission.READ.includes(NamespacePermission.WRITE));
        assertFalse(NamespacePermission.WRITE.includes(NamespacePermission.ADMIN));
    }

    @Test
    void aCrossAccountNamespaceLooksLikeAMissingOne() {
        ApiKeyPrincipal owner = new ApiKeyPrincipal("k-1", ACCOUNT, "u-1", "user", access(AccountRole.OWNER, Map.of()));

        AuthException foreign = assertThrows(AuthException.class,
                () -> Authorizer.require(owner, "orders.other", NamespacePermission.READ, "DescribeNamespace"));
        assertEquals(AuthException.Kind.NAMESPACE_NOT_FOUND, foreign.kind());
        assertEquals(Authorizer.namespaceNotFound("orders.other").getMessage(), foreign.getMessage());
    }

    @Test
    void tooLittleIsPermissionDeniedNamingWhatWasNeeded() {
        ApiKeyPrincipal reader = new ApiKeyPrincipal("k-1", ACCOUNT, "u-1", "user", access(AccountRole.READ, Map.of()));

        assertDoesNotThrow(() -> Authorizer.require(reader, "orders." + ACCOUNT, NamespacePermission.READ,
                "QueryWorkflow"));
        AuthException denied = assertThrows(AuthException.class, () -> Authorizer.require(reader, "orders." + ACCOUNT,
                NamespacePermission.WRITE, "StartWorkflowExecution"));
        assertEquals(AuthException.Kind.PERMISSION_DENIED, denied.kind());
        assertEquals("api key k-1 has READ on namespace orders.a1b2c3; StartWorkflowExecution needs WRITE",
                denied.getMessage());
    }

    @Test
    void aCertificateActsOnItsOwnNamespaceOnly() {
        CertificatePrincipal worker = new CertificatePrincipal("orders." + ACCOUNT, ACCOUNT, "CN=worker,O=Acme",
                List.of(), "00");

        assertDoesNotThrow(() -> Authorizer.require(worker, "orders." + ACCOUNT, NamespacePermission.WRITE,
                "PollWorkflowTaskQueue"));
        assertEquals(AuthException.Kind.PERMISSION_DENIED, assertThrows(AuthException.class,
                () -> Authorizer.require(worker, "orders." + ACCOUNT, NamespacePermission.ADMIN,
                        "UpdateNamespace")).kind());
        assertEquals(AuthException.Kind.UNAUTHENTICATED, assertThrows(AuthException.class,
                () -> Authorizer.require(worker, "billing." + ACCOUNT, NamespacePermission.READ,
                        "DescribeNamespace")).kind());
        assertEquals(AuthException.Kind.NAMESPACE_NOT_FOUND, assertThrows(AuthException.class,
                () -> Authorizer.require(worker, "orders.other", NamespacePermission.READ,
                        "DescribeNamespace")).kind());
    }

    @Test
    void theAccessJsonOfTheContractParses() {
        Access access = Access.parse("""
                {
                  "keyId": "k-3f2a", "accountId": "a1b2c3", "ownerId": "u-1", "ownerType": "user",
                  "enabled": true, "expiresAt": "2027-01-01T00:00:00Z", "accountRole": "DEVELOPER",
                  "namespacePermissions": { "orders.a1b2c3": "WRITE", "billing.a1b2c3": "READ", "x.a1b2c3": "OWNER" },
                  "somethingNew": 1
                }""");

        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), access.expiresAt());
        assertEquals(AccountRole.DEVELOPER, access.accountRole());
        assertEquals(Map.of("orders.a1b2c3", NamespacePermission.WRITE, "billing.a1b2c3", NamespacePermission.READ),
                access.namespacePermissions(), "an unknown permission grants nothing");
        assertEquals(access, Access.parse(access.toJson()));
    }

    private static Access access(AccountRole role, Map<String, NamespacePermission> grants) {
        return new Access("k-1", ACCOUNT, "u-1", "user", true, null, role, grants);
    }
}
