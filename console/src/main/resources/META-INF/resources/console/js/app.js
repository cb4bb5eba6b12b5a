// The console's shell: the session, the header (who is signed in, with which role), the navigation and a hash
// router, so that every page has a URL that can be bookmarked and shared (#/namespaces/orders.acme/workflows).
import { h, button, errorBox, page, field } from './ui.js';
import { ApiKeySession } from './session.js';
import { cloud, useSession, ApiError } from './api.js';
import { Access } from './access.js';
import * as namespaces from './pages/namespaces.js';
import * as workflows from './pages/workflows.js';
import * as identities from './pages/identities.js';
import * as nexus from './pages/nexus.js';
import * as schedules from './pages/schedules.js';
import * as audit from './pages/audit.js';
import * as codecKeys from './pages/codec.js';

const ROUTES = [
  [/^\/namespaces$/, namespaces.list],
  [/^\/namespaces\/([^/]+)$/, namespaces.detail],
  [/^\/namespaces\/([^/]+)\/workflows$/, workflows.list],
  [/^\/namespaces\/([^/]+)\/workflows\/([^/]+)\/([^/]+)$/, workflows.detail],
  [/^\/namespaces\/([^/]+)\/schedules$/, schedules.list],
  [/^\/namespaces\/([^/]+)\/schedules\/([^/]+)$/, schedules.detail],
  [/^\/namespaces\/([^/]+)\/codec$/, codecKeys.keys],
  [/^\/users$/, identities.users],
  [/^\/service-accounts$/, identities.serviceAccounts],
  [/^\/api-keys$/, identities.apiKeys],
  [/^\/nexus$/, nexus.list],
  [/^\/audit$/, audit.log],
];

const NAV = [['#/namespaces', 'Namespaces'], ['#/users', 'Users'], ['#/service-accounts', 'Service accounts'],
  ['#/api-keys', 'API keys'], ['#/nexus', 'Nexus endpoints'], ['#/audit', 'Audit log']];

let session = ApiKeySession.restore();
let access = null;
let renders = 0;

/** Shows the page at `hash`: through hashchange when the hash changes, directly when it does not. */
function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

async function identify(s) {
  useSession(s);
  return new Access(await cloud('/current-identity'));
}

function header() {
  const el = document.getElementById('header');
  el.replaceChildren(h('a', { class: 'brand', href: '#/namespaces' }, 'Aeon console'));
  if (access) {
    el.append(h('div', { class: 'who' },
      h('span', { 'data-testid': 'identity' }, `${access.name || access.id} (${access.kind})`),
      h('span', { class: 'badge', 'data-testid': 'role' }, 'role: ' + access.role),
      button('Sign out', signOut)));
  }
}

function nav(path) {
  const el = document.getElementById('nav');
  el.replaceChildren(...(access ? NAV.map(([href, label]) => h('a', {
    href, 'aria-current': path.startsWith(href.slice(1)) ? 'page' : null }, label)) : []));
}

function signOut() {
  if (session) session.signOut();
  session = null;
  access = null;
  useSession(null);
  navigate('#/signin');
}

function signInPage(main, next) {
  const key = h('input', { type: 'password', autocomplete: 'off', required: true, name: 'apiKey' });
  const problem = h('div');
  const form = h('form', { class: 'stack signin', onsubmit: async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    const candidate = new ApiKeySession(key.value.trim());
    try {
      access = await identify(candidate);
    } catch (e) {
      useSession(null);
      problem.replaceChildren(errorBox(e.status === 401 ? new ApiError(401, 'Sign-in refused: ' + e.message) : e));
      return;
    }
    candidate.remember();
    session = candidate;
    navigate(next && next !== '/signin' ? '#' + next : '#/namespaces');
  } },
  h('p', {}, 'Sign in with an API key of your Aeon account. It is kept in this browser tab only, sent only to Aeon\'s own APIs, and forgotten when you sign out or close the tab.'),
  field('API key', key),
  h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
  problem);
  main.replaceChildren(...page('Sign in', form));
}

async function render() {
  const current = ++renders; // a later navigation wins over a slower earlier one
  const [rawPath, rawQuery] = (location.hash || '#/namespaces').slice(1).split('?');
  const path = rawPath || '/namespaces';
  const main = document.getElementById('main');
  if (!access && session) {
    try {
      access = await identify(session);
    } catch (e) {
      session.signOut();
      session = null;
      useSession(null);
    }
  }
  header();
  nav(path);
  if (!access) {
    signInPage(main, path);
    return;
  }
  if (path === '/signin') {
    location.hash = '#/namespaces';
    return;
  }
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  main.replaceChildren(h('p', { 'aria-busy': 'true' }, 'Loading…'));
  try {
    if (!route) throw new ApiError(404, `no page at ${path}`);
    const params = path.match(route[0]).slice(1).map(decodeURIComponent);
    const query = new URLSearchParams(rawQuery || '');
    const content = await route[1]({ access, params, query, rerender: render });
    if (current !== renders) return;
    main.replaceChildren(...[content].flat(Infinity));
  } catch (e) {
    if (current !== renders) return;
    main.replaceChildren(...page('Something went wrong', errorBox(e)));
  }
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', render);
render();
