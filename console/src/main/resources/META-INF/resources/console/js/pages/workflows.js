// Workflows of a namespace through Temporal's HTTP API on the data plane: list with the visibility query and counts
// by status; a workflow with its summary, input, result or failure, pending work and history; signal, cancel and
// terminate with confirmation.
import { h, field, button, errorBox, table, badge, page, link, enc, confirm, time } from '../ui.js';
import { workflows } from '../api.js';
import { decodeAll, show, showAll, textPayload } from '../payloads.js';

const STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew'];

export async function list({ params: [ns], query: hashQuery }) {
  const query = hashQuery.get('query') || '';
  const base = '/namespaces/' + enc(ns);
  const box = h('input', { name: 'query', type: 'search', value: query, size: '50', placeholder: "WorkflowType = 'Orders' AND ExecutionStatus = 'Running'" });
  const form = h('form', { class: 'row', role: 'search', onsubmit: (event) => {
    event.preventDefault();
    location.hash = `#/namespaces/${enc(ns)}/workflows` + (box.value.trim() ? '?query=' + enc(box.value.trim()) : '');
  } }, field('Visibility query', box), h('button', { type: 'submit' }, 'Search'));

  const [first, grouped] = await Promise.all([
    workflows(base + '/workflows', { query: { query, pageSize: 50 } }),
    workflows(base + '/workflow-count', { query: { query: (query ? query + ' ' : '') + 'GROUP BY ExecutionStatus' } }),
  ]);
  // Each group's value is a payload holding the status's name, e.g. "Running".
  const byStatus = {};
  for (const group of grouped.groups || []) {
    byStatus[JSON.parse(show(group.groupValues[0]))] = group.count;
  }
  const rows = h('div');
  const columns = [
    { label: 'Workflow id', cell: (w) => link(`#/namespaces/${enc(ns)}/workflows/${enc(w.execution.workflowId)}/${enc(w.execution.runId)}`, w.execution.workflowId) },
    { label: 'Type', cell: (w) => w.type?.name },
    { label: 'Status', cell: (w) => badge(w.status) },
    { label: 'Started', cell: (w) => time(w.startTime) },
    { label: 'Closed', cell: (w) => time(w.closeTime) },
  ];
  let executions = first.executions || [];
  let token = first.nextPageToken;
  const more = h('div');
  const draw = () => {
    rows.replaceChildren(table(columns, executions, 'No workflows match.'));
    more.replaceChildren(token ? button('Load more', async () => {
      try {
        const next = await workflows(base + '/workflows', { query: { query, pageSize: 50, nextPageToken: token } });
        executions = executions.concat(next.executions || []);
        token = next.nextPageToken;
        draw();
      } catch (e) { more.replaceChildren(errorBox(e)); }
    }) : '');
  };
  draw();
  return page('Workflows of ' + ns, form,
    h('div', { class: 'counts', 'aria-label': 'Counts by status' },
      h('span', { class: 'count' }, `All: ${grouped.count || 0}`),
      STATUSES.map((s) => h('span', { class: 'count' }, `${s}: ${byStatus[s] || 0}`))),
    rows, more);
}

function payloadBlock(label, payloads, testid) {
  const decoded = (payloads?.payloads || []).some((p) => p.decodedByCodec);
  return [h('h2', {}, label), h('pre', { 'data-testid': testid }, showAll(payloads) || '—'),
    decoded ? h('p', { class: 'reason' }, 'Encrypted by the SDK; decrypted here, in your browser, by the codec server.') : ''];
}

function eventDetails(event) {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes'));
  return key ? event[key] : {};
}

function shortType(type) {
  return String(type).replace('EVENT_TYPE_', '');
}

async function fullHistory(base, runId) {
  const events = [];
  let token;
  for (let pages = 0; pages < 20; pages++) {
    const answer = await workflows(base + '/history', { query: { 'execution.runId': runId, nextPageToken: token } });
    events.push(...(answer.history?.events || []));
    token = answer.nextPageToken;
    if (!token) break;
  }
  return events;
}

/** Reset: a new run from the end of a completed workflow task, the old run terminated. */
function resetForm(events, denied, reset) {
  const points = events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
  const reason = denied || (points.length ? null : 'no completed workflow task to reset to');
  const select = h('select', { name: 'resetPoint' }, points.map((e) => h('option', { value: e.eventId }, `after event ${e.eventId} (${time(e.eventTime)})`)));
  return h('form', { class: 'row', onsubmit: async (event) => {
    event.preventDefault();
    if (await confirm('Reset the workflow?', `A new run replays history up to event ${select.value}; this run is terminated.`, 'Reset')) reset(select.value);
  } }, field('Reset to', select), h('button', { type: 'submit', disabled: !!reason, title: reason }, 'Reset'),
  reason ? h('span', { class: 'reason' }, reason) : '');
}

export async function detail({ access, params: [ns, workflowId, runId], query, rerender }) {
  const base = `/namespaces/${enc(ns)}/workflows/${enc(workflowId)}`;
  const [described, events] = await Promise.all([
    workflows(base, { query: { 'execution.runId': runId } }), fullHistory(base, runId)]);
  const decodeProblem = await decodeAll(ns, events);
  const info = described.workflowExecutionInfo;
  const started = eventDetails(events[0] || {});
  const closing = events.filter((e) => /COMPLETED|FAILED|TIMED_OUT|TERMINATED|CANCELED|CONTINUED_AS_NEW/.test(e.eventType)
    && /WORKFLOW_EXECUTION/.test(e.eventType)).pop();
  const closed = closing ? eventDetails(closing) : null;
  const full = query.get('history') === 'full';
  const status = h('div');
  const running = info.status === 'WORKFLOW_EXECUTION_STATUS_RUNNING';
  const denied = access.needsOnNamespace(ns, 'WRITE', 'Acting on workflows');
  const notRunning = running ? null : 'the workflow is not running';
  const post = async (path, body) => {
    status.replaceChildren();
    try {
      await workflows(base + path, { method: 'POST', body });
      rerender();
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  };
  const signalName = h('input', { name: 'signalName', required: true });
  const signalInput = h('textarea', { name: 'signalInput', rows: '2' }, '');
  const reason = h('input', { name: 'reason', value: '' });
  const actions = h('div', {},
    h('h2', {}, 'Actions'),
    field('Reason (cancel, terminate)', reason),
    h('div', { class: 'row' },
      button('Cancel workflow', async () => {
        if (await confirm('Cancel ' + workflowId + '?', 'The workflow is asked to cancel; it may clean up first.', 'Request cancellation')) {
          post('/cancel', { workflowExecution: { workflowId, runId }, reason: reason.value, requestId: crypto.randomUUID() });
        }
      }, { deniedReason: denied || notRunning }),
      button('Terminate workflow', async () => {
        if (await confirm('Terminate ' + workflowId + '?', 'The workflow stops at once, without running any more code. This cannot be undone.', 'Terminate')) {
          post('/terminate', { workflowExecution: { workflowId, runId }, reason: reason.value || 'terminated in the Aeon console' });
        }
      }, { kind: 'danger', deniedReason: denied || notRunning })),
    resetForm(events, denied, (eventId) => post('/reset', { workflowExecution: { workflowId, runId }, reason: reason.value || 'reset in the Aeon console',
      workflowTaskFinishEventId: eventId, requestId: crypto.randomUUID() })),
    h('form', { class: 'stack', onsubmit: (event) => {
      event.preventDefault();
      let input;
      try {
        input = signalInput.value.trim() ? { payloads: [textPayload(JSON.parse(signalInput.value))] } : undefined;
      } catch (e) {
        status.replaceChildren(errorBox(new Error('signal input: not JSON (' + e.message + ')')));
        return;
      }
      post('/signal/' + enc(signalName.value.trim()), { workflowExecution: { workflowId, runId }, input, requestId: crypto.randomUUID() });
    } }, field('Signal name', signalName), field('Signal input (JSON)', signalInput),
    h('div', { class: 'row' }, h('button', { type: 'submit', disabled: !!(denied || notRunning), title: denied || notRunning }, 'Send signal'),
      denied || notRunning ? h('span', { class: 'reason' }, denied || notRunning) : '')),
    status);

  const historyLink = `#/namespaces/${enc(ns)}/workflows/${enc(workflowId)}/${enc(runId)}` + (full ? '' : '?history=full');
  return page('Workflow ' + workflowId,
    h('dl', { class: 'summary', 'data-testid': 'summary' },
      h('dt', {}, 'Status'), h('dd', {}, badge(info.status)),
      h('dt', {}, 'Type'), h('dd', {}, info.type?.name),
      h('dt', {}, 'Run id'), h('dd', {}, runId),
      h('dt', {}, 'Task queue'), h('dd', {}, info.taskQueue || described.executionConfig?.taskQueue?.name || '—'),
      h('dt', {}, 'Started'), h('dd', {}, time(info.startTime)),
      h('dt', {}, 'Closed'), h('dd', {}, time(info.closeTime)),
      h('dt', {}, 'History'), h('dd', {}, `${info.historyLength || events.length} events`)),
    decodeProblem ? h('div', { class: 'notice', role: 'status' }, 'Encrypted payloads stay encrypted: ' + decodeProblem) : '',
    actions,
    payloadBlock('Input', started.input, 'input'),
    closed && closed.result ? payloadBlock('Result', closed.result, 'result') : '',
    closed && closed.failure ? [h('h2', {}, 'Failure'), h('pre', { 'data-testid': 'failure' }, JSON.stringify(closed.failure, null, 2))] : '',
    closed && closing.eventType.endsWith('TERMINATED') ? [h('h2', {}, 'Terminated'), h('p', {}, closed.reason || '')] : '',
    h('h2', {}, 'Pending activities'),
    table([{ label: 'Activity', cell: (a) => a.activityType?.name }, { label: 'State', cell: (a) => badge(a.state) },
      { label: 'Attempt', cell: (a) => a.attempt }, { label: 'Last failure', cell: (a) => a.lastFailure?.message || '' }],
    described.pendingActivities || [], 'None.'),
    h('h2', {}, 'Pending children'),
    table([{ label: 'Workflow id', cell: (c) => c.workflowId }, { label: 'Type', cell: (c) => c.workflowTypeName }],
      described.pendingChildren || [], 'None.'),
    h('h2', {}, 'History'),
    h('p', {}, link(historyLink, full ? 'Show compact history' : 'Show full history (JSON)')),
    full ? h('pre', { 'data-testid': 'history-full' }, JSON.stringify(events, null, 2))
      : table([
        { label: '#', cell: (e) => e.eventId },
        { label: 'Event', cell: (e) => shortType(e.eventType) },
        { label: 'Time', cell: (e) => time(e.eventTime) },
        { label: 'Details', cell: (e) => {
          const d = eventDetails(e);
          const payloads = d.input || d.result;
          return payloads ? h('code', {}, showAll(payloads)) : (d.reason || d.failure?.message || d.activityType?.name || d.signalName || '');
        } },
      ], events));
}
