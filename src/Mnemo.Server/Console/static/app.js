// The console's shell: sign-in, navigation and a hash router (#/assets, #/assets/<id>?t=12.5, #/search, #/people/<id>, …).
import { api, session, signIn, signOut } from './api.js';
import { h, showError } from './ui.js';
import * as assets from './assets.js';
import * as detail from './detail.js';
import * as search from './search.js';
import * as people from './people.js';
import * as prompts from './prompts.js';
import * as usage from './usage.js';
import * as keys from './keys.js';
import * as admin from './admin.js';

const keyPages = [
  ['assets', 'Assets', assets], ['search', 'Search', search], ['people', 'People', people], ['prompts', 'Prompts', prompts],
  ['usage', 'Usage', usage], ['keys', 'Keys', keys],
];
const adminPages = [['admin', 'Accounts', admin]];

let cleanup = null;
let me = null;

function parse() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean), params: new URLSearchParams(query) };
}

async function route() {
  cleanup?.();
  cleanup = null;
  const main = document.getElementById('main');
  const s = session();
  if (!s) { renderSignIn(main); return; }
  const pages = s.kind === 'admin' ? adminPages : keyPages;
  renderChrome(pages, s);
  const { parts, params } = parse();
  let page = pages.find(([name]) => name === parts[0]);
  if (!page) { location.replace(`#/${pages[0][0]}`); return; }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === page[0]) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const module = page[0] === 'assets' && parts[1] ? detail : page[2];
  const view = h('div');  // each render its own: a render that an earlier one overtakes is simply detached
  main.replaceChildren(view);
  try {
    const done = await module.render(view, { id: parts[1], params, me }) ?? null;
    if (view.isConnected) cleanup = done; else done?.();
  } catch (e) {
    showError(e);
    if (e.status === 401) { signOut(); route(); }
  }
  const title = view.querySelector('h1');
  document.title = `${title ? title.textContent + ' · ' : ''}Mnemo console`;
}

/** Navigates, rendering even when the hash is already there (no hashchange then). */
export function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

function renderChrome(pages, s) {
  const nav = document.getElementById('nav');
  nav.hidden = false;
  nav.replaceChildren(...pages.map(([name, label]) => h('a', { href: `#/${name}`, dataset: { page: name } }, label)));
  const who = document.getElementById('who');
  const label = s.kind === 'admin' ? 'Operator (admin token)'
    : me ? `${me.organization_name} · ${me.project_name} · ${me.environment_slug}` : 'API key';
  who.replaceChildren(h('span', {}, label), h('button', {
    type: 'button', class: 'secondary', onclick: () => { signOut(); me = null; go('#/'); },
  }, 'Sign out'));
}

function renderSignIn(main) {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').replaceChildren();
  const secret = h('input', { id: 'secret', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const kindKey = h('input', { type: 'radio', name: 'kind', value: 'key', checked: true });
  const kindAdmin = h('input', { type: 'radio', name: 'kind', value: 'admin' });
  const form = h('form', {
    class: 'panel signin', onsubmit: async e => {
      e.preventDefault();
      const kind = kindAdmin.checked ? 'admin' : 'key';
      signIn(kind, secret.value.trim());
      try {
        if (kind === 'key') me = await api('/api/v1/me'); else await api('/admin/accounts');
        go(kind === 'key' ? '#/assets' : '#/admin');
      } catch (err) {
        signOut();
        showError(err.status === 404 && kind === 'admin'
          ? { detail: 'The admin API is off: start the server with MNEMO_ADMIN_TOKEN set.' } : err);
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', { class: 'muted' }, 'Use the API key printed at the first start (or one from the Keys page), or the operator\'s admin token. It is kept in this browser tab only and sent to this server only.'),
  h('fieldset', {}, h('legend', {}, 'Credential'),
    h('label', { class: 'inline' }, kindKey, 'API key'), h('label', { class: 'inline' }, kindAdmin, 'Admin token')),
  h('label', { for: 'secret' }, 'Key or token'), secret,
  h('p', {}, h('button', { type: 'submit' }, 'Sign in')));
  main.replaceChildren(form);
  document.title = 'Sign in · Mnemo console';
  secret.focus();
}

window.addEventListener('hashchange', route);
(async () => {
  const s = session();
  if (s?.kind === 'key') {
    try { me = await api('/api/v1/me'); } catch (e) { if (e.status === 401) signOut(); }
  }
  route();
})();
