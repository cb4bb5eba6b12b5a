package dev.aeon.controlplane.security;

import dev.aeon.auth.AccountRole;
import dev.aeon.auth.NamespacePermission;

import java.util.List;

/**
 * What a Cloud Ops RPC requires of its caller before its service runs, declared next to the RPC in
 * {@code CloudOperations} and enforced by {@link Authorization#require}. Rules that depend on the resource a call
 * acts on (only an OWNER acts on an OWNER, a key's owner manages it, a Nexus endpoint's target namespace) stay in
 * the service, which is the one that reads that resource.
 */
public sealed interface RequiredAccess {

    /** Any valid API key of the account; the service limits what the caller sees or changes to what it may. */
    static RequiredAccess anyKey() {
        return new AnyKey();
    }

    /** Account role OWNER or ADMIN. */
    static RequiredAccess accountAdmin(String action) {
        return new AccountRoleIn(List.of(AccountRole.OWNER, AccountRole.ADMIN), action);
    }

    /** One of {@code roles} (in the enum's order, for the message). */
    static RequiredAccess accountRole(List<AccountRole> roles, String action) {
        return new AccountRoleIn(roles, action);
    }

    /** At least {@code permission} on the namespace the request names in its {@code namespace} field. */
    static RequiredAccess onNamespace(NamespacePermission permission, String action) {
        return new OnNamespace(permission, action);
    }

    record AnyKey() implements RequiredAccess {
    }

    /** @param action what the caller tried, for the refusal ("create users") */
    record AccountRoleIn(List<AccountRole> roles, String action) implements RequiredAccess {
        public AccountRoleIn {
            roles = List.copyOf(roles);
        }
    }

    /** @param action what the caller tried, for the refusal ("delete the namespace") */
    record OnNamespace(NamespacePermission permission, String action) implements RequiredAccess {
    }
}
