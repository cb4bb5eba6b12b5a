// Nexus endpoints: their target (a namespace's task queue) and the namespaces allowed to call them.
import { h, field, button, errorBox, pagedTable, badge, page, confirm, enc } from '../ui.js';
import { cloud } from '../api.js';
import { follow } from './namespaces.js';

function callers(spec) {
  return (spec.policySpecs || []).map((p) => p.allowedCloudNamespacePolicySpec?.namespaceId).filter(Boolean);
}

function withCallers(spec, namespaces) {
  return { ...spec, policySpecs: namespaces.map((namespaceId) => ({ allowedCloudNamespacePolicySpec: { namespaceId } })) };
}

/** The allowed callers as a list with add and remove: each change is saved as an update of the endpoint. */
function callerEditor(endpoint, access, status, rerender) {
  const current = callers(endpoint.spec);
  const target = endpoint.spec.targetSpec?.workerTargetSpec?.namespaceId;
  const denied = access.needsOnNamespace(target, 'ADMIN', 'Changing the endpoint');
  const save = async (next) => {
    try {
      const answer = await cloud('/nexus/endpoints/' + enc(endpoint.id), { method: 'POST',
        body: { spec: withCallers(endpoint.spec, next), resourceVersion: endpoint.resourceVersion } });
      await follow(status, answer.asyncOperation, rerender);
    } catch (e) { status.replaceChildren(errorBox(e)); }
  };
  const add = h('input', { name: 'addCaller', placeholder: 'caller namespace id' });
  return h('div', {},
    h('ul', {}, current.map((ns) => h('li', {}, ns, ' ', button('Remove', () => save(current.filter((c) => c !== ns)),
      { deniedReason: denied, 'aria-label': `Remove ${ns} from ${endpoint.spec.name}` })))),
    h('form', { class: 'row', onsubmit: (event) => { event.preventDefault(); if (add.value.trim()) save([...current, add.value.trim()]); } },
      field('Allow caller namespace', add), h('button', { type: 'submit', disabled: !!denied, title: denied }, 'Add')));
}

export async function list({ access, rerender }) {
  const { namespaces = [] } = await cloud('/namespaces', { query: { pageSize: 100 } });
  const status = h('div');
  const name = h('input', { name: 'endpointName', required: true, pattern: '[A-Za-z_][A-Za-z0-9_\\-]*' });
  const namespace = h('select', { name: 'targetNamespace' }, namespaces.map((n) => h('option', { value: n.namespace }, n.namespace)));
  const taskQueue = h('input', { name: 'taskQueue', required: true });
  const allowed = h('input', { name: 'allowedCallers', placeholder: 'orders.acme, billing.acme' });
  return page('Nexus endpoints',
    await pagedTable([
      { label: 'Endpoint', cell: (e) => e.spec.name },
      { label: 'Target', cell: (e) => `${e.spec.targetSpec?.workerTargetSpec?.namespaceId} / ${e.spec.targetSpec?.workerTargetSpec?.taskQueue}` },
      { label: 'State', cell: (e) => badge(e.state) },
      { label: 'Allowed callers', cell: (e) => callerEditor(e, access, status, rerender) },
      { label: '', cell: (e) => button('Delete', async () => {
        if (!await confirm(`Delete endpoint ${e.spec.name}?`, 'Callers of this endpoint will fail.', 'Delete')) return;
        try {
          const answer = await cloud('/nexus/endpoints/' + enc(e.id), { method: 'DELETE', query: { resourceVersion: e.resourceVersion } });
          await follow(status, answer.asyncOperation, rerender);
        } catch (err) { status.replaceChildren(errorBox(err)); }
      }, { kind: 'danger', 'aria-label': 'Delete ' + e.spec.name,
        deniedReason: access.needsOnNamespace(e.spec.targetSpec?.workerTargetSpec?.namespaceId, 'ADMIN', 'Deleting the endpoint') }) },
    ], async (pageToken) => {
      const answer = await cloud('/nexus/endpoints', { query: { pageSize: 50, pageToken } });
      return { items: answer.endpoints || [], nextPageToken: answer.nextPageToken };
    }, 'No Nexus endpoints yet.'),
    status,
    h('h2', {}, 'Create an endpoint'),
    h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      const spec = withCallers({ name: name.value.trim(), targetSpec: { workerTargetSpec: { namespaceId: namespace.value, taskQueue: taskQueue.value.trim() } } },
        allowed.value.split(',').map((s) => s.trim()).filter(Boolean));
      try {
        const answer = await cloud('/nexus/endpoints', { method: 'POST', body: { spec } });
        await follow(status, answer.asyncOperation, rerender);
      } catch (e) { status.replaceChildren(errorBox(e)); }
    } }, field('Name', name), field('Target namespace', namespace), field('Target task queue', taskQueue),
    field('Allowed caller namespaces (comma-separated)', allowed),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Create endpoint'))));
}
