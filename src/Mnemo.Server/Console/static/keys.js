// Keys of this organization: prefix, project, environment, last use; create one (its secret shown once), revoke one.
import { api, session } from './api.js';
import { h, when, showError, toast, copyButton, fill } from './ui.js';

export async function render(main, { me }) {
  const body = h('tbody');
  const created = h('div', { id: 'created-key', 'aria-live': 'polite' });
  const environment = h('select', { id: 'key-environment' }, h('option', { value: 'production' }, 'production'), h('option', { value: 'staging' }, 'staging'));
  if (me) environment.value = me.environment_slug;
  main.append(h('h1', {}, 'API keys'),
    h('form', {
      class: 'panel', onsubmit: async e => {
        e.preventDefault();
        try {
          const key = await api('/api/v1/keys', { method: 'POST', body: { environment: environment.value } });
          fill(created, h('p', {}, `New key ${key.prefix}… for ${key.environment}. It is shown this once; keep it:`),
            h('p', { class: 'secret', id: 'secret-value' }, key.key), copyButton(key.key, 'Copy key'));
          await load();
        } catch (err) { showError(err); }
      },
    }, h('h2', {}, 'New key'), h('p', { class: 'muted' }, `For project ${me?.project_name ?? 'of this key'}.`),
    h('div', { class: 'row' }, h('div', {}, h('label', { for: 'key-environment' }, 'Environment'), environment),
      h('div', { class: 'shrink' }, h('button', { type: 'submit' }, 'Create key'))), created),
    h('section', { class: 'panel' }, h('div', { class: 'table-wrap' }, h('table', { id: 'keys' },
      h('caption', {}, 'Every key of this organization; last use is since this server started'),
      h('thead', {}, h('tr', {}, ...['Prefix', 'Project', 'Environment', 'Created', 'Last use', 'Expires', 'Status', ''].map(t => h('th', { scope: 'col' }, t)))),
      body))));

  async function load() {
    const keys = await api('/api/v1/keys');
    const mine = session()?.secret ?? '';
    fill(body, ...keys.map(k => {
      const own = mine.startsWith(k.prefix);
      return h('tr', { dataset: { keyId: k.id, prefix: k.prefix } },
        h('td', {}, h('code', {}, `${k.prefix}…`), own ? h('span', { class: 'muted' }, ' (this session)') : null),
        h('td', {}, k.project_name), h('td', {}, k.environment), h('td', {}, when(k.created_at)),
        h('td', {}, k.last_used_at ? when(k.last_used_at) : h('span', { class: 'muted' }, 'not since start')),
        h('td', {}, k.expires_at ? when(k.expires_at) : 'never'),
        h('td', {}, k.revoked_at ? h('span', { class: 'badge failed' }, 'revoked') : h('span', { class: 'badge ready' }, 'active')),
        h('td', {}, k.revoked_at ? null : h('button', {
          type: 'button', class: 'danger', 'aria-label': `Revoke ${k.prefix}`, onclick: async () => {
            if (!confirm(own ? 'Revoke the key this session uses? You will be signed out.' : `Revoke ${k.prefix}…? Requests with it fail at once.`)) return;
            try {
              await api(`/api/v1/keys/${k.id}`, { method: 'DELETE' });
              toast(`Revoked ${k.prefix}…`);
              if (own) { sessionStorage.clear(); location.hash = '#/'; location.reload(); } else await load();
            } catch (err) { showError(err); }
          },
        }, 'Revoke')));
    }));
  }

  await load();
}
