// The operator's page (admin token): accounts, their projects, keys, credits and the keys' fault profiles.
import { api } from './api.js';
import { h, when, showError, toast, copyButton, fill } from './ui.js';

export async function render(main, { id }) {
  const accounts = await api('/admin/accounts');
  const name = h('input', { type: 'text', id: 'account-name', required: true });
  const credits = h('input', { type: 'number', id: 'account-credits', min: 0, value: 1000 });
  const detail = h('div', { id: 'account-detail' });
  main.append(h('h1', {}, 'Accounts'),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('div', { class: 'table-wrap' }, h('table', { id: 'accounts' },
        h('thead', {}, h('tr', {}, ...['Name', 'Status', 'Balance', 'Created'].map((t, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : null }, t)))),
        h('tbody', {}, ...accounts.map(a => h('tr', {},
          h('td', {}, h('a', { href: `#/admin/${a.id}` }, a.name)), h('td', {}, a.status),
          h('td', { class: 'num' }, a.balance.toLocaleString()), h('td', {}, when(a.created_at)))))))),
      h('form', {
        class: 'panel', onsubmit: async e => {
          e.preventDefault();
          try {
            const a = await api('/admin/accounts', { method: 'POST', body: { name: name.value.trim(), credits: Number(credits.value) || 0 } });
            toast(`Created ${a.name}.`);
            location.hash = `#/admin/${a.id}`;
          } catch (err) { showError(err); }
        },
      }, h('h2', {}, 'New account'), h('label', { for: 'account-name' }, 'Name'), name,
      h('label', { for: 'account-credits' }, 'Starting credits'), credits, h('p', {}, h('button', { type: 'submit' }, 'Create account')))),
    detail);
  if (id) await showAccount(detail, id);
}

async function showAccount(detail, id) {
  const [account, projects, keys] = await Promise.all([
    api(`/admin/accounts/${id}`), api(`/admin/accounts/${id}/projects`), api(`/admin/accounts/${id}/keys`)]);
  const reload = () => showAccount(detail, id);
  const act = fn => async e => { e?.preventDefault?.(); try { await fn(); await reload(); } catch (err) { showError(err); } };

  const amount = h('input', { type: 'number', id: 'credit-amount', value: 1000 });
  const reason = h('input', { type: 'text', id: 'credit-reason', value: 'top-up' });
  const projectName = h('input', { type: 'text', id: 'project-name', required: true });
  const keyProject = h('select', { id: 'key-project' }, ...projects.map(p => h('option', { value: p.id }, p.name)));
  const keyEnv = h('select', { id: 'key-env' }, h('option', {}, 'production'), h('option', {}, 'staging'));
  const newKey = h('div', { 'aria-live': 'polite' });

  fill(detail, h('h2', {}, `${account.name} (${account.status}, ${account.balance.toLocaleString()} credits)`),
    h('div', { class: 'grid2' },
      h('div', {},
        h('section', { class: 'panel' }, h('h3', {}, 'Keys'), h('div', { class: 'table-wrap' }, h('table', { id: 'admin-keys' },
          h('thead', {}, h('tr', {}, ...['Prefix', 'Project', 'Env', 'Last use', 'Status', ''].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, ...keys.map(k => h('tr', {},
            h('td', {}, h('code', {}, `${k.prefix}…`)), h('td', {}, k.project_name), h('td', {}, k.environment),
            h('td', {}, k.last_used_at ? when(k.last_used_at) : '—'), h('td', {}, k.revoked_at ? 'revoked' : 'active'),
            h('td', { class: 'actions' }, k.revoked_at ? null : [
              h('button', { type: 'button', class: 'secondary', onclick: () => faults(detail, k) }, 'Faults'),
              h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${k.prefix}`, onclick: act(() => api(`/admin/keys/${k.id}`, { method: 'DELETE' })) }, 'Revoke')]))))))),
        h('form', {
          class: 'panel', onsubmit: async e => {
            e.preventDefault();
            try {
              const k = await api(`/admin/accounts/${id}/keys`, { method: 'POST', body: { project_id: keyProject.value, environment: keyEnv.value } });
              await reload();
              detail.querySelector('#new-key-box')?.replaceChildren(h('p', {}, 'Shown this once:'), h('p', { class: 'secret' }, k.key), copyButton(k.key, 'Copy key'));
            } catch (err) { showError(err); }
          },
        }, h('h3', {}, 'New key'), h('div', { class: 'row' },
          h('div', {}, h('label', { for: 'key-project' }, 'Project'), keyProject),
          h('div', {}, h('label', { for: 'key-env' }, 'Environment'), keyEnv),
          h('div', { class: 'shrink' }, h('button', { type: 'submit' }, 'Create key'))), h('div', { id: 'new-key-box' }, newKey)),
        h('div', { id: 'faults' })),
      h('div', {},
        h('form', { class: 'panel', onsubmit: act(() => api(`/admin/accounts/${id}/credits`, { method: 'POST', body: { amount: Number(amount.value), reason: reason.value } })) },
          h('h3', {}, 'Credits'), h('label', { for: 'credit-amount' }, 'Amount (negative debits)'), amount,
          h('label', { for: 'credit-reason' }, 'Reason'), reason, h('p', {}, h('button', { type: 'submit' }, 'Apply'))),
        h('section', { class: 'panel' }, h('h3', {}, 'Status'),
          h('button', {
            type: 'button', class: account.status === 'active' ? 'danger' : null,
            onclick: act(() => api(`/admin/accounts/${id}`, { method: 'PATCH', body: { status: account.status === 'active' ? 'disabled' : 'active' } })),
          }, account.status === 'active' ? 'Disable account' : 'Enable account')),
        h('section', { class: 'panel' }, h('h3', {}, 'Projects'),
          h('ul', {}, ...projects.map(p => h('li', {}, p.name, p.is_active ? '' : ' (inactive)'))),
          h('form', { onsubmit: act(() => api(`/admin/accounts/${id}/projects`, { method: 'POST', body: { name: projectName.value.trim() } })) },
            h('label', { for: 'project-name' }, 'New project'), projectName, h('p', {}, h('button', { type: 'submit' }, 'Add project')))))));
}

/** A key's fault profile: read, set (rate and catalog errors), remove. */
async function faults(detail, key) {
  const box = detail.querySelector('#faults');
  let current = null;
  try { current = await api(`/admin/keys/${key.id}/faults`); } catch (e) { if (e.status !== 404) { showError(e); return; } }
  const rate = h('input', { type: 'number', id: 'fault-rate', min: 0, max: 1, step: 0.05, value: current?.rate ?? 0.1 });
  const errors = h('input', { type: 'text', id: 'fault-errors', value: current?.errors.join(' ') ?? 'service_unavailable' });
  fill(box, h('form', {
    class: 'panel', onsubmit: async e => {
      e.preventDefault();
      try {
        await api(`/admin/keys/${key.id}/faults`, { method: 'PUT', body: { rate: Number(rate.value), errors: errors.value.split(/[\s,]+/).filter(Boolean) } });
        toast(`Fault profile of ${key.prefix}… saved.`);
      } catch (err) { showError(err); }
    },
  }, h('h3', {}, `Fault profile of ${key.prefix}…`),
  h('label', { for: 'fault-rate' }, 'Rate (0 to 1)'), rate,
  h('label', { for: 'fault-errors' }, 'Catalog errors (see /api/v1/errors)'), errors,
  h('p', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'),
    current ? h('button', {
      type: 'button', class: 'danger', onclick: async () => {
        try { await api(`/admin/keys/${key.id}/faults`, { method: 'DELETE' }); toast('Fault profile removed.'); fill(box); } catch (err) { showError(err); }
      },
    }, 'Remove') : null)));
}
