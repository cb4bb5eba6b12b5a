// A namespace's codec keys (create, rotate, disable, enable) and its CORS origins, on the codec server.
import { h, field, button, errorBox, table, badge, page, enc, time } from '../ui.js';
import { codec } from '../api.js';

export async function keys({ access, params: [ns], rerender }) {
  const status = h('div');
  const denied = access.needsOnNamespace(ns, 'ADMIN', 'Managing codec keys');
  const run = async (fn) => { try { await fn(); rerender(); } catch (e) { status.replaceChildren(errorBox(e)); } };
  let answer = { keys: [] };
  let cors = null;
  try { answer = await codec('/codec/keys/' + enc(ns)); } catch (e) { status.append(errorBox(e)); }
  try { cors = await codec('/codec/cors/' + enc(ns)); } catch (e) { cors = null; }
  const origins = h('input', { name: 'corsOrigins', value: (cors?.allowedOrigins || cors?.namespace?.allowedOrigins || []).join(', ') });
  return page('Codec keys of ' + ns,
    h('p', {}, 'Payloads that SDKs encrypt with these keys are decoded in this console with your API key.'),
    table([
      { label: 'Key', cell: (k) => [h('code', {}, k.keyId), k.current ? ' (current)' : ''] },
      { label: 'Version', cell: (k) => k.version },
      { label: 'State', cell: (k) => badge(k.state) },
      { label: 'Created', cell: (k) => time(k.createdAt) },
      { label: '', cell: (k) => String(k.state).toUpperCase() === 'DISABLED'
        ? button('Enable', () => run(() => codec(`/codec/keys/${enc(ns)}/${enc(k.keyId)}/enable`, { method: 'POST' })), { deniedReason: denied })
        : button('Disable', () => run(() => codec(`/codec/keys/${enc(ns)}/${enc(k.keyId)}/disable`, { method: 'POST' })), { deniedReason: denied }) },
    ], answer.keys || [], 'No keys: payloads of this namespace are not encrypted by Aeon\'s codec.'),
    button(answer.keys?.length ? 'Rotate (new current key)' : 'Create a key', () => run(() => codec('/codec/keys/' + enc(ns), { method: 'POST', body: {} })),
      { kind: 'primary', deniedReason: denied }),
    h('h2', {}, 'Browser origins (CORS)'),
    h('form', { class: 'row', onsubmit: (event) => { event.preventDefault(); run(() => codec('/codec/cors/' + enc(ns), { method: 'PUT',
      body: { allowedOrigins: origins.value.split(',').map((s) => s.trim()).filter(Boolean) } })); } },
    field('Extra allowed origins (comma-separated)', origins), h('button', { type: 'submit', disabled: !!denied, title: denied }, 'Save origins')),
    status);
}
