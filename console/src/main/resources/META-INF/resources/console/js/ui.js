// Small DOM helpers: the console builds its pages from plain elements, no framework.

/** An element: h('button', {onclick, class: 'primary'}, 'Save'). Attributes that are functions become listeners. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'class') el.className = value;
    else if (name === 'value') el.value = value;
    else if (name === 'checked') el.checked = !!value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let idCounter = 0;
/** A labelled control: the label names the input for screen readers and tests. */
export function field(label, input, hint) {
  const id = input.id || (input.id = 'f' + (++idCounter));
  const hintEl = hint ? h('span', { class: 'reason', id: id + '-hint' }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  if (input.type === 'checkbox') return h('label', { class: 'check', for: id }, input, label, hintEl);
  return h('label', { for: id }, label, input, hintEl);
}

/** An API error, shown with its message as the API gave it (it names the field). */
export function errorBox(error) {
  const message = error && error.message ? error.message : String(error);
  const status = error && error.status ? ` (HTTP ${error.status})` : '';
  return h('div', { class: 'error', role: 'alert' }, message + status);
}

/** A button that the caller's role cannot use: disabled, with the reason next to it and as its description. */
export function button(label, onclick, { kind, deniedReason, ...attrs } = {}) {
  const b = h('button', { type: 'button', class: kind, onclick, ...attrs }, label);
  if (!deniedReason) return b;
  b.disabled = true;
  const reason = h('span', { class: 'reason', id: 'r' + (++idCounter) }, deniedReason);
  b.setAttribute('aria-describedby', reason.id);
  b.title = deniedReason;
  return h('span', { class: 'row' }, b, reason);
}

/** A busy-safe action: runs fn, shows its error in `where`, re-enables the button. */
export async function act(where, fn) {
  where.replaceChildren();
  try {
    return await fn();
  } catch (e) {
    where.replaceChildren(errorBox(e));
    return undefined;
  }
}

/** Asks before anything that cannot be undone. Resolves true when confirmed. */
export function confirm(title, text, confirmLabel = 'Confirm') {
  return new Promise((resolve) => {
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title), h('p', {}, text));
    const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    dialog.append(h('div', { class: 'row' },
      h('button', { type: 'button', class: 'danger', onclick: () => close(true) }, confirmLabel),
      h('button', { type: 'button', onclick: () => close(false) }, 'Cancel')));
    dialog.addEventListener('cancel', () => resolve(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A table whose cells carry their column's name, so that narrow screens can show one card per row. */
export function table(columns, rows, empty = 'Nothing here yet.') {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  // A wide table scrolls sideways; keyboard users scroll it once it has focus, so it is a focusable region.
  const name = columns.map((c) => c.label).filter(Boolean).join(', ');
  return h('div', { class: 'tablewrap', tabindex: '0', role: 'region', 'aria-label': 'Table: ' + name }, h('table', { class: 'responsive' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { 'data-label': c.label }, c.cell(row))))))));
}

export function badge(text) {
  const key = String(text || '').toLowerCase().replace(/^(workflow_execution_status_|state_|namespace_state_|resource_state_)/, '').replace(/[^a-z]/g, '');
  return h('span', { class: 'badge ' + key }, String(text || '—').replace(/^(WORKFLOW_EXECUTION_STATUS_|STATE_|RESOURCE_STATE_)/, ''));
}

export function time(value) {
  if (!value) return '—';
  const d = new Date(value);
  return isNaN(d) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** A page: its title and body; every page starts with an h1 and gets focus for screen readers. */
export function page(title, ...content) {
  document.title = title + ' · Aeon console';
  return [h('h1', {}, title), ...content];
}

export function link(href, text) {
  return h('a', { href }, text);
}

export function enc(s) {
  return encodeURIComponent(s);
}

/**
 * A table of a list API's pages: the first page now, the next ones on "Load more". fetchPage(token) answers
 * {items, nextPageToken}; its errors are shown under the table.
 */
export async function pagedTable(columns, fetchPage, empty) {
  const first = await fetchPage(undefined);
  let items = first.items;
  let token = first.nextPageToken;
  const holder = h('div');
  const draw = () => {
    const more = token ? h('button', { type: 'button', onclick: async () => {
      try {
        const next = await fetchPage(token);
        items = items.concat(next.items);
        token = next.nextPageToken;
        draw();
      } catch (e) {
        holder.append(errorBox(e));
      }
    } }, 'Load more') : '';
    holder.replaceChildren(table(columns, items, empty), more);
  };
  draw();
  return holder;
}
