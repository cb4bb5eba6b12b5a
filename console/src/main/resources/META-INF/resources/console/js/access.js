// What the signed-in identity may do, from GetCurrentIdentity: the console disables what the APIs would refuse
// and says why. The APIs still decide; a refusal they give is shown like any other error.

const RANK = { READ: 1, WRITE: 2, ADMIN: 3 };

export class Access {
  constructor(identity) {
    const principal = identity.user || identity.serviceAccount || {};
    this.identity = identity;
    this.kind = identity.user ? 'user' : 'service account';
    this.name = identity.user ? identity.user.spec?.email : principal.spec?.name;
    this.id = principal.id;
    const access = principal.spec?.access || {};
    this.role = String(access.accountAccess?.role || 'ROLE_UNSPECIFIED').replace(/^ROLE_/, '');
    this.namespaces = {};
    for (const [ns, grant] of Object.entries(access.namespaceAccesses || {})) {
      this.namespaces[ns] = String(grant.permission || '').replace(/^PERMISSION_/, '');
    }
  }

  get accountAdmin() {
    return this.role === 'OWNER' || this.role === 'ADMIN';
  }

  /** The permission on a namespace: account OWNER and ADMIN have ADMIN on every namespace of the account. */
  permissionOn(namespace) {
    return this.accountAdmin ? 'ADMIN' : this.namespaces[namespace] || null;
  }

  /** Null when allowed, else the reason a button shows. */
  needsOnNamespace(namespace, permission, what) {
    const have = this.permissionOn(namespace);
    if (have && RANK[have] >= RANK[permission]) return null;
    return `${what} needs ${permission} on ${namespace}; your ${this.kind} has ${have || 'no access'}`;
  }

  needsAccountAdmin(what) {
    return this.accountAdmin ? null : `${what} needs the account role OWNER or ADMIN; yours is ${this.role}`;
  }

  needsDeveloper(what) {
    return this.accountAdmin || this.role === 'DEVELOPER' ? null
      : `${what} needs the account role OWNER, ADMIN or DEVELOPER; yours is ${this.role}`;
  }
}
