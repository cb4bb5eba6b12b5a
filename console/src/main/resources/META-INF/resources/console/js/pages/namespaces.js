// Namespaces: list, create (retention, API-key auth, CA certificates), edit, delete; the async operation each
// change starts is followed until it is FULFILLED or FAILED with its reason.
import { h, field, button, errorBox, table, pagedTable, badge, page, link, enc, confirm, time } from '../ui.js';
import { cloud, awaitOperation } from '../api.js';
import { describePem } from '../pem.js';

/** A live line that follows an async operation; resolves when it ends, throws with its reason when it failed. */
export async function follow(where, operation, done) {
  const line = h('p', { role: 'status', 'data-testid': 'operation' });
  where.replaceChildren(line);
  try {
    await awaitOperation(operation, (op) => {
      line.replaceChildren(`Operation ${op.operationType || ''} ${op.id}: `, badge(op.state));
    });
    if (done) done();
  } catch (e) {
    where.append(errorBox(e));
  }
}

/** The certificates of a PEM text as a table: what the tenant is about to trust. */
function certificateTable(pem) {
  const certs = describePem(pem);
  if (!pem.trim()) return h('p', { class: 'muted' }, 'No CA certificates: client certificates are not accepted.');
  if (!certs.length) return errorBox(new Error('no "-----BEGIN CERTIFICATE-----" block in the PEM text'));
  const soon = Date.now() + 30 * 86400000;
  return table([
    { label: 'Subject', cell: (c) => c.error || c.subject },
    { label: 'Issuer', cell: (c) => c.issuer || '' },
    { label: 'Expires', cell: (c) => c.notAfter ? [time(c.notAfter), c.notAfter < soon ? ' ' : '',
      c.notAfter < soon ? h('span', { class: 'badge expiring' }, c.notAfter < Date.now() ? 'expired' : 'expires soon') : ''] : '' },
  ], certs);
}

const TYPES = ['TEXT', 'KEYWORD', 'INT', 'DOUBLE', 'BOOL', 'DATETIME', 'KEYWORD_LIST'].map((t) => 'SEARCH_ATTRIBUTE_TYPE_' + t);

function typeName(type) {
  return String(type).replace('SEARCH_ATTRIBUTE_TYPE_', '').toLowerCase().replace(/(^|_)(\w)/g, (m, u, c) => c.toUpperCase());
}

function parseAttributes(text) {
  const attributes = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, type] = item.split('=').map((s) => s.trim());
    const known = TYPES.find((t) => typeName(t).toLowerCase() === String(type || '').toLowerCase());
    if (!name || !known) throw new Error(`custom search attributes: "${item}" is not Name=Type with a type of ${TYPES.map(typeName).join(', ')}`);
    attributes[name] = known;
  }
  return attributes;
}

/** The spec fields a tenant edits, as a form; onSubmit gets the spec. */
function specForm({ spec = {}, regions = [], creating, onSubmit, deniedReason }) {
  const problem = h('div');
  const name = h('input', { name: 'name', required: true, value: spec.name || '', pattern: '[a-z][a-z0-9\\-]{0,37}[a-z0-9]', disabled: !creating });
  const region = h('select', { name: 'region', disabled: !creating },
    regions.map((r) => h('option', { value: r.id, selected: (spec.regions || [])[0] === r.id }, r.id)));
  const retention = h('input', { name: 'retentionDays', type: 'number', min: '1', max: '90', required: true, value: String(spec.retentionDays || 30) });
  const apiKeyAuth = h('input', { name: 'apiKeyAuth', type: 'checkbox', checked: creating ? true : !!spec.apiKeyAuth?.enabled });
  const existingCa = spec.mtlsAuth?.acceptedClientCa ? atob(spec.mtlsAuth.acceptedClientCa) : '';
  const pem = h('textarea', { name: 'caPem', rows: '5', placeholder: '-----BEGIN CERTIFICATE-----' }, existingCa);
  const certs = h('div', { 'data-testid': 'certificates' }, certificateTable(existingCa));
  const showCerts = () => certs.replaceChildren(certificateTable(pem.value));
  pem.addEventListener('input', showCerts);
  const file = h('input', { type: 'file', accept: '.pem,.crt,.cer', name: 'caFile', onchange: async () => {
    if (file.files[0]) { pem.value = await file.files[0].text(); showCerts(); }
  } });
  const filters = h('input', { name: 'certificateFilters', value: (spec.mtlsAuth?.certificateFilters || []).map((f) => f.commonName).filter(Boolean).join(', ') });
  const attributes = h('input', { name: 'searchAttributes', placeholder: 'CustomerId=Keyword, Amount=Double',
    value: Object.entries(spec.searchAttributes || {}).map(([k, v]) => `${k}=${typeName(v)}`).join(', ') });
  const submit = h('button', { type: 'submit', class: 'primary', disabled: !!deniedReason, title: deniedReason },
    creating ? 'Create namespace' : 'Save changes');
  return h('form', { class: 'stack', onsubmit: (event) => {
    event.preventDefault();
    const ca = pem.value.trim();
    const next = { ...spec, name: name.value.trim(), regions: [region.value].filter(Boolean),
      retentionDays: Number(retention.value), apiKeyAuth: { enabled: apiKeyAuth.checked } };
    next.mtlsAuth = ca ? { enabled: true, acceptedClientCa: btoa(ca + '\n'),
      certificateFilters: filters.value.split(',').map((s) => s.trim()).filter(Boolean).map((commonName) => ({ commonName })) }
      : { enabled: false };
    try {
      next.searchAttributes = parseAttributes(attributes.value);
    } catch (e) {
      problem.replaceChildren(errorBox(e));
      return;
    }
    problem.replaceChildren();
    onSubmit(next);
  } },
  field('Name', name, creating ? '2–39 lower-case letters, digits and hyphens, starting with a letter; the id is name.account' : null),
  field('Region', region),
  field('Retention (days)', retention),
  field('API-key authentication', apiKeyAuth),
  field('CA certificates (PEM) for client certificates', pem),
  field('…or upload a PEM file', file),
  certs,
  field('Certificate filters (common names, comma-separated)', filters),
  field('Custom search attributes (Name=Type, comma-separated)', attributes,
    'types: ' + TYPES.map((t) => typeName(t)).join(', ') + '; existing ones can be added to, not removed'),
  h('div', { class: 'row' }, submit, deniedReason ? h('span', { class: 'reason' }, deniedReason) : null),
  problem);
}

export async function list({ access, rerender }) {
  const { regions = [] } = await cloud('/regions');
  const status = h('div');
  const denied = access.needsDeveloper('Creating a namespace');
  const form = specForm({ regions, creating: true, deniedReason: denied, onSubmit: async (spec) => {
    try {
      const answer = await cloud('/namespaces', { method: 'POST', body: { spec } });
      await follow(status, answer.asyncOperation, () => { location.hash = '#/namespaces/' + enc(answer.namespace); rerender(); });
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  } });
  return page('Namespaces',
    await pagedTable([
      { label: 'Namespace', cell: (n) => link('#/namespaces/' + enc(n.namespace), n.namespace) },
      { label: 'State', cell: (n) => badge(n.state) },
      { label: 'Region', cell: (n) => (n.spec.regions || []).join(', ') },
      { label: 'Retention', cell: (n) => (n.spec.retentionDays || '—') + ' days' },
      { label: 'Auth', cell: (n) => [n.spec.apiKeyAuth?.enabled ? 'API keys' : '', n.spec.mtlsAuth?.enabled ? ' mTLS' : ''].join('').trim() || '—' },
      { label: '', cell: (n) => [link('#/namespaces/' + enc(n.namespace) + '/workflows', 'Workflows'), ' · ',
        link('#/namespaces/' + enc(n.namespace) + '/schedules', 'Schedules')] },
    ], async (pageToken) => {
      const answer = await cloud('/namespaces', { query: { pageSize: 50, pageToken } });
      return { items: answer.namespaces || [], nextPageToken: answer.nextPageToken };
    }, 'No namespaces yet.'),
    h('h2', {}, 'Create a namespace'), form, status);
}

export async function detail({ access, params: [id], rerender }) {
  const [{ namespace: ns }, { regions = [] }] = await Promise.all([cloud('/namespaces/' + enc(id)), cloud('/regions')]);
  const status = h('div');
  const adminDenied = access.needsOnNamespace(id, 'ADMIN', 'Changing the namespace');
  const form = specForm({ spec: ns.spec, regions, creating: false, deniedReason: adminDenied, onSubmit: async (spec) => {
    try {
      const answer = await cloud('/namespaces/' + enc(id), { method: 'POST', body: { spec, resourceVersion: ns.resourceVersion } });
      await follow(status, answer.asyncOperation, rerender);
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  } });
  const remove = button('Delete namespace', async () => {
    if (!await confirm('Delete ' + id + '?', 'Its workflows, schedules and history are deleted. This cannot be undone.', 'Delete')) return;
    try {
      const answer = await cloud('/namespaces/' + enc(id), { method: 'DELETE', query: { resourceVersion: ns.resourceVersion } });
      await follow(status, answer.asyncOperation, () => { location.hash = '#/namespaces'; });
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  }, { kind: 'danger', deniedReason: access.needsOnNamespace(id, 'ADMIN', 'Deleting the namespace') });
  return page('Namespace ' + id,
    h('dl', { class: 'summary' },
      h('dt', {}, 'State'), h('dd', {}, badge(ns.state)),
      h('dt', {}, 'gRPC endpoint'), h('dd', {}, ns.endpoints?.grpcAddress || '—'),
      h('dt', {}, 'Your permission'), h('dd', {}, access.permissionOn(id) || 'none'),
      h('dt', {}, 'Last change'), h('dd', {}, time(ns.lastModifiedTime)),
      h('dt', {}, 'Search attributes'), h('dd', {}, Object.entries(ns.spec.searchAttributes || {})
        .map(([k, v]) => `${k} (${typeName(v)})`).join(', ') || '—')),
    h('div', { class: 'row' }, link('#/namespaces/' + enc(id) + '/workflows', 'Workflows'), ' · ',
      link('#/namespaces/' + enc(id) + '/schedules', 'Schedules'), ' · ', link('#/namespaces/' + enc(id) + '/codec', 'Codec keys')),
    h('h2', {}, 'Settings'), form, status, h('h2', {}, 'Danger zone'), remove);
}
