// The audit log (account OWNER and ADMIN): a time range from the API, who and what filtered on the page, paging.
import { h, field, table, badge, page, time, enc, button, errorBox } from '../ui.js';
import { cloud } from '../api.js';

export async function log({ access, query }) {
  const denied = access.needsAccountAdmin('Reading the audit log');
  if (denied) return page('Audit log', h('p', { class: 'reason' }, denied));
  const from = query.get('from') || new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 16);
  const to = query.get('to') || '';
  const who = query.get('who') || '';
  const what = query.get('what') || '';
  const inputs = {
    from: h('input', { name: 'from', type: 'datetime-local', value: from }),
    to: h('input', { name: 'to', type: 'datetime-local', value: to }),
    who: h('input', { name: 'who', value: who, placeholder: 'principal or API key id' }),
    what: h('input', { name: 'what', value: what, placeholder: 'CreateNamespace' }),
  };
  const form = h('form', { class: 'row', onsubmit: (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const [k, input] of Object.entries(inputs)) if (input.value) q.set(k, input.value);
    location.hash = '#/audit?' + q;
  } }, field('From (UTC)', inputs.from), field('To (UTC)', inputs.to), field('Who', inputs.who), field('What', inputs.what),
  h('button', { type: 'submit' }, 'Filter'));
  const matches = (r) => (!who || [r.principal?.id, r.principal?.apiKeyId].some((x) => (x || '').includes(who)))
    && (!what || (r.operation || '').toLowerCase().includes(what.toLowerCase()));
  const rows = h('div');
  const more = h('div');
  let records = [];
  const load = async (token) => {
    const answer = await cloud('/audit-logs', { query: { start_time_inclusive: new Date(from + 'Z').toISOString(),
      end_time_exclusive: to ? new Date(to + 'Z').toISOString() : undefined, page_size: 50, page_token: token } });
    records = records.concat((answer.logs || []).filter(matches));
    rows.replaceChildren(table([
      { label: 'When', cell: (r) => time(r.emitTime) },
      { label: 'Who', cell: (r) => `${r.principal?.type || ''} ${r.principal?.id || ''}${r.principal?.apiKeyId ? ' (key ' + r.principal.apiKeyId + ')' : ''}` },
      { label: 'What', cell: (r) => r.operation },
      { label: 'Resource', cell: (r) => `${r.rawDetails?.resourceType || ''} ${r.rawDetails?.resourceId || ''}` },
      { label: 'Result', cell: (r) => [badge(r.status), r.rawDetails?.error ? ' ' + r.rawDetails.error : ''] },
    ], records, 'No records in this range.'));
    more.replaceChildren(answer.nextPageToken ? button('Next page', () => load(answer.nextPageToken).catch((e) => more.replaceChildren(errorBox(e)))) : '');
  };
  await load();
  return page('Audit log', form, rows, more);
}
