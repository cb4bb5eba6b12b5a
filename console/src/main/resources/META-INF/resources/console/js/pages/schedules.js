// A namespace's schedules, through the Cloud Ops API's schedule paths: list, detail with upcoming and recent
// actions, create, pause and unpause with a note, trigger, delete.
import { h, field, button, errorBox, table, badge, page, link, enc, confirm, time } from '../ui.js';
import { cloud } from '../api.js';

export async function list({ access, params: [ns] }) {
  const base = '/namespaces/' + enc(ns) + '/schedules';
  const { schedules = [] } = await cloud(base, { query: { maximumPageSize: 100 } });
  const status = h('div');
  const denied = access.needsOnNamespace(ns, 'WRITE', 'Creating schedules');
  const id = h('input', { name: 'scheduleId', required: true });
  const cron = h('input', { name: 'cron', placeholder: '0 * * * *  or  @every 1h' });
  const type = h('input', { name: 'workflowType', required: true });
  const queue = h('input', { name: 'taskQueue', required: true });
  return page('Schedules of ' + ns,
    table([
      { label: 'Schedule', cell: (s) => link(`#/namespaces/${enc(ns)}/schedules/${enc(s.scheduleId)}`, s.scheduleId) },
      { label: 'Workflow type', cell: (s) => s.info?.workflowType?.name || '' },
      { label: 'State', cell: (s) => s.info?.paused ? badge('paused') : badge('active') },
      { label: 'Next run', cell: (s) => time((s.info?.futureActionTimes || [])[0]) },
    ], schedules, 'No schedules.'),
    h('h2', {}, 'Create a schedule'),
    h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      const spec = /^@every\s+/.test(cron.value.trim())
        ? { interval: [{ interval: toSeconds(cron.value.trim().replace(/^@every\s+/, '')) }] }
        : { cronString: [cron.value.trim()] };
      try {
        await cloud(base + '/' + enc(id.value.trim()), { method: 'POST', body: { requestId: crypto.randomUUID(), schedule: { spec,
          action: { startWorkflow: { workflowId: id.value.trim(), workflowType: { name: type.value.trim() }, taskQueue: { name: queue.value.trim() } } } } } });
        location.hash = `#/namespaces/${enc(ns)}/schedules/${enc(id.value.trim())}`;
      } catch (e) { status.replaceChildren(errorBox(e)); }
    } }, field('Schedule id', id), field('When (cron or @every 1h)', cron), field('Workflow type', type), field('Task queue', queue),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', disabled: !!denied }, 'Create schedule'),
      denied ? h('span', { class: 'reason' }, denied) : '')),
    status);
}

function toSeconds(text) {
  const m = /^(\d+)\s*([smhd])$/.exec(text);
  if (!m) return text;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]] + 's';
}

export async function detail({ access, params: [ns, id], rerender }) {
  const path = `/namespaces/${enc(ns)}/schedules/${enc(id)}`;
  const { schedule, info = {} } = await cloud(path);
  const status = h('div');
  const denied = access.needsOnNamespace(ns, 'WRITE', 'Changing schedules');
  const note = h('input', { name: 'note', placeholder: 'why' });
  const patch = async (p) => {
    try {
      await cloud(path + '/patch', { method: 'POST', body: { patch: p, requestId: crypto.randomUUID() } });
      rerender();
    } catch (e) { status.replaceChildren(errorBox(e)); }
  };
  const paused = !!schedule.state?.paused;
  return page('Schedule ' + id,
    h('dl', { class: 'summary' },
      h('dt', {}, 'State'), h('dd', {}, paused ? badge('paused') : badge('active'), schedule.state?.notes ? ' — ' + schedule.state.notes : ''),
      h('dt', {}, 'Spec'), h('dd', {}, h('code', {}, JSON.stringify(schedule.spec))),
      h('dt', {}, 'Action'), h('dd', {}, h('code', {}, JSON.stringify(schedule.action))),
      h('dt', {}, 'Actions taken'), h('dd', {}, String(info.actionCount || 0))),
    h('h2', {}, 'Upcoming'), h('ul', {}, (info.futureActionTimes || []).slice(0, 5).map((t) => h('li', {}, time(t)))),
    h('h2', {}, 'Recent actions'),
    table([{ label: 'Scheduled', cell: (a) => time(a.scheduleTime) }, { label: 'Started', cell: (a) => time(a.actualTime) },
      { label: 'Workflow', cell: (a) => a.startWorkflowResult ? link(`#/namespaces/${enc(ns)}/workflows/${enc(a.startWorkflowResult.workflowId)}/${enc(a.startWorkflowResult.runId)}`, a.startWorkflowResult.workflowId) : '' }],
    (info.recentActions || []).slice().reverse(), 'None yet.'),
    h('h2', {}, 'Actions'), field('Note', note),
    h('div', { class: 'row' },
      button(paused ? 'Unpause' : 'Pause', () => patch(paused ? { unpause: note.value || 'unpaused in the console' } : { pause: note.value || 'paused in the console' }), { deniedReason: denied }),
      button('Trigger now', () => patch({ triggerImmediately: {} }), { deniedReason: denied }),
      button('Delete', async () => {
        if (!await confirm('Delete schedule ' + id + '?', 'Workflows it started keep running.', 'Delete')) return;
        try { await cloud(path, { method: 'DELETE' }); location.hash = `#/namespaces/${enc(ns)}/schedules`; } catch (e) { status.replaceChildren(errorBox(e)); }
      }, { kind: 'danger', deniedReason: denied })),
    status);
}
