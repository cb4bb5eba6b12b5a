// Users, service accounts and API keys: create with a role and namespace permissions, disable, delete. A new key's
// token is shown once, with a copy button and a warning; keys that expire within 30 days are highlighted.
import { h, field, button, errorBox, pagedTable, badge, page, confirm, time, enc } from '../ui.js';
import { cloud } from '../api.js';
import { follow } from './namespaces.js';

/** A page-fetcher of a Cloud Ops list. (GetServiceAccountsResponse's repeated field is named service_account.) */
function listed(path, field) {
  return async (pageToken) => {
    const answer = await cloud(path, { query: { pageSize: 50, pageToken } });
    return { items: answer[field] || [], nextPageToken: answer.nextPageToken };
  };
}

const ROLES = ['ROLE_READ', 'ROLE_DEVELOPER', 'ROLE_ADMIN', 'ROLE_OWNER'];

/** "orders.acme=WRITE" per line, as the access map of the API. */
function parsePermissions(text) {
  const accesses = {};
  for (const line of text.split(/[\n,]/).map((l) => l.trim()).filter(Boolean)) {
    const [ns, permission] = line.split('=').map((s) => s.trim());
    if (!ns || !/^(READ|WRITE|ADMIN)$/i.test(permission || '')) {
      throw new Error(`namespace permissions: "${line}" is not namespace=READ|WRITE|ADMIN`);
    }
    accesses[ns] = { permission: 'PERMISSION_' + permission.toUpperCase() };
  }
  return accesses;
}

function showPermissions(access) {
  return Object.entries(access?.namespaceAccesses || {}).map(([ns, a]) => `${ns}=${String(a.permission).replace('PERMISSION_', '')}`).join(', ') || '—';
}

function accessFields() {
  const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r, selected: r === 'ROLE_READ' }, r.replace('ROLE_', ''))));
  const permissions = h('textarea', { name: 'namespacePermissions', rows: '2', placeholder: 'orders.acme=WRITE' });
  return {
    fields: [field('Account role', role), field('Namespace permissions (namespace=READ|WRITE|ADMIN, one a line)', permissions)],
    value: () => ({ accountAccess: { role: role.value }, namespaceAccesses: parsePermissions(permissions.value) }),
  };
}

/** Sets one namespace's permission of a user or service account (NONE removes it). */
function namespaceAccessEditor(what, path, resource, access, status, rerender) {
  const ns = h('input', { name: 'accessNamespace', placeholder: 'namespace id', size: '18' });
  const permission = h('select', { name: 'accessPermission' },
    ['READ', 'WRITE', 'ADMIN'].map((p) => h('option', { value: 'PERMISSION_' + p }, p)));
  return h('form', { class: 'row', onsubmit: async (event) => {
    event.preventDefault();
    const denied = access.needsOnNamespace(ns.value.trim(), 'ADMIN', 'Managing access to the namespace');
    if (denied) { status.replaceChildren(errorBox(new Error(denied))); return; }
    try {
      const answer = await cloud(`/namespaces/${enc(ns.value.trim())}/${path}/${enc(resource.id)}/access`, { method: 'POST',
        body: { access: { permission: permission.value }, resourceVersion: resource.resourceVersion } });
      await follow(status, answer.asyncOperation, rerender);
    } catch (e) { status.replaceChildren(errorBox(e)); }
  } }, field('Namespace', ns), field('Permission', permission),
  h('button', { type: 'submit', 'aria-label': 'Set namespace permission of ' + what }, 'Set'));
}

function deleteButton(what, path, resource, denied, rerender, status) {
  return button('Delete', async () => {
    if (!await confirm(`Delete ${what}?`, 'This cannot be undone.', 'Delete')) return;
    try {
      const answer = await cloud(path, { method: 'DELETE', query: { resourceVersion: resource.resourceVersion } });
      if (answer.asyncOperation) await follow(status, answer.asyncOperation);
      rerender();
    } catch (e) { status.replaceChildren(errorBox(e)); }
  }, { kind: 'danger', deniedReason: denied, 'aria-label': 'Delete ' + what });
}

export async function users({ access, rerender }) {
  const status = h('div');
  const denied = access.needsAccountAdmin('Managing users');
  const email = h('input', { name: 'email', type: 'email', required: true });
  const grants = accessFields();
  return page('Users',
    await pagedTable([
      { label: 'Email', cell: (u) => u.spec.email },
      { label: 'Role', cell: (u) => String(u.spec.access?.accountAccess?.role || '').replace('ROLE_', '') },
      { label: 'Namespaces', cell: (u) => [showPermissions(u.spec.access), namespaceAccessEditor(u.spec.email, 'users', u, access, status, rerender)] },
      { label: 'State', cell: (u) => badge(u.state) },
      { label: '', cell: (u) => deleteButton(u.spec.email, '/users/' + enc(u.id), u, denied, rerender, status) },
    ], listed('/users', 'users')),
    h('h2', {}, 'Invite a user'),
    h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      try {
        const answer = await cloud('/users', { method: 'POST', body: { spec: { email: email.value, access: grants.value() } } });
        await follow(status, answer.asyncOperation, rerender);
      } catch (e) { status.replaceChildren(errorBox(e)); }
    } }, field('Email', email), grants.fields,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', disabled: !!denied }, 'Create user'),
      denied ? h('span', { class: 'reason' }, denied) : '')),
    status);
}

export async function serviceAccounts({ access, rerender }) {
  const status = h('div');
  const denied = access.needsAccountAdmin('Managing service accounts');
  const name = h('input', { name: 'serviceAccountName', required: true });
  const grants = accessFields();
  return page('Service accounts',
    await pagedTable([
      { label: 'Name', cell: (s) => s.spec.name },
      { label: 'Id', cell: (s) => h('code', {}, s.id) },
      { label: 'Role', cell: (s) => String(s.spec.access?.accountAccess?.role || '').replace('ROLE_', '') },
      { label: 'Namespaces', cell: (s) => [showPermissions(s.spec.access), namespaceAccessEditor(s.spec.name, 'service-accounts', s, access, status, rerender)] },
      { label: '', cell: (s) => [h('a', { href: '#/api-keys?owner=' + enc(s.id) }, 'API keys'), ' ',
        deleteButton(s.spec.name, '/service-accounts/' + enc(s.id), s, denied, rerender, status)] },
    ], listed('/service-accounts', 'serviceAccount')),
    h('h2', {}, 'Create a service account'),
    h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      try {
        const answer = await cloud('/service-accounts', { method: 'POST', body: { spec: { name: name.value, access: grants.value() } } });
        await follow(status, answer.asyncOperation, () => { location.hash = '#/api-keys?owner=' + enc(answer.serviceAccountId); });
      } catch (e) { status.replaceChildren(errorBox(e)); }
    } }, field('Name', name), grants.fields,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', disabled: !!denied }, 'Create service account'),
      denied ? h('span', { class: 'reason' }, denied) : '')),
    status);
}

/** The token of a new key: shown once, here, never again. */
function tokenOnce(token) {
  const copied = h('span', { role: 'status', class: 'ok' });
  return h('div', { class: 'notice', 'data-testid': 'new-token' },
    h('p', {}, h('strong', {}, 'Copy this API key now. '), 'It is shown only this once: Aeon keeps no copy it could show again.'),
    h('p', { class: 'token', 'data-testid': 'token' }, token),
    h('div', { class: 'row' }, button('Copy to clipboard', async () => {
      try { await navigator.clipboard.writeText(token); copied.textContent = 'Copied.'; } catch (e) { copied.textContent = 'Copy failed: select the key and copy it.'; }
    }), copied));
}

export async function apiKeys({ access, query, rerender }) {
  const { serviceAccount: accounts = [] } = await cloud('/service-accounts', { query: { pageSize: 100 } });
  const status = h('div');
  const soon = Date.now() + 30 * 86400000;
  const owner = h('select', { name: 'owner' },
    h('option', { value: 'self' }, `myself (${access.name || access.id})`),
    accounts.map((s) => h('option', { value: s.id, selected: query.get('owner') === s.id }, 'service account ' + s.spec.name)));
  const displayName = h('input', { name: 'displayName', required: true });
  const days = h('input', { name: 'expiryDays', type: 'number', min: '1', max: '730', value: '90', required: true });
  const update = async (k, changes) => {
    try {
      const answer = await cloud('/api-keys/' + enc(k.id), { method: 'POST', body: { spec: { ...k.spec, ...changes }, resourceVersion: k.resourceVersion } });
      await follow(status, answer.asyncOperation, rerender);
    } catch (e) { status.replaceChildren(errorBox(e)); }
  };
  return page('API keys',
    status,
    await pagedTable([
      { label: 'Name', cell: (k) => k.spec.displayName || '—' },
      { label: 'Id', cell: (k) => h('code', {}, k.id) },
      { label: 'Owner', cell: (k) => `${String(k.spec.ownerType).replace('OWNER_TYPE_', '').toLowerCase().replace('_', ' ')} ${k.spec.ownerId}` },
      { label: 'Expires', cell: (k) => [time(k.spec.expiryTime), new Date(k.spec.expiryTime) < soon ? [' ', h('span', { class: 'badge expiring' }, 'expires soon')] : ''] },
      { label: 'State', cell: (k) => k.spec.disabled ? badge('disabled') : badge(k.state) },
      { label: '', cell: (k) => [k.spec.disabled ? button('Enable', () => update(k, { disabled: false }))
        : button('Disable', () => update(k, { disabled: true }), { 'aria-label': 'Disable ' + (k.spec.displayName || k.id) }), ' ',
      deleteButton(k.spec.displayName || k.id, '/api-keys/' + enc(k.id), k, null, rerender, status)] },
    ], listed('/api-keys', 'apiKeys')),
    h('h2', {}, 'Create an API key'),
    h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      const spec = { displayName: displayName.value, expiryTime: new Date(Date.now() + Number(days.value) * 86400000).toISOString() };
      if (owner.value === 'self') { spec.ownerId = access.id; spec.ownerType = access.kind === 'user' ? 'OWNER_TYPE_USER' : 'OWNER_TYPE_SERVICE_ACCOUNT'; }
      else { spec.ownerId = owner.value; spec.ownerType = 'OWNER_TYPE_SERVICE_ACCOUNT'; }
      try {
        const answer = await cloud('/api-keys', { method: 'POST', body: { spec } });
        const shown = h('div');
        status.replaceChildren(tokenOnce(answer.token), shown);
        await follow(shown, answer.asyncOperation);
      } catch (e) { status.replaceChildren(errorBox(e)); }
    } }, field('Owner', owner), field('Name', displayName), field('Expires in (days)', days),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Create API key'))));
}
