// Prompts: the list, a new version, every version of one, a diff of two, set live, render with retrieval.
import { api } from './api.js';
import { h, when, showError, toast, where, fill, momentLink } from './ui.js';

export async function render(main, { params }) {
  const list = h('tbody');
  const detail = h('div', { id: 'prompt-detail' });
  const name = h('input', { type: 'text', id: 'new-name', required: true, value: params.get('name') ?? '' });
  const body = h('textarea', { id: 'new-body', required: true, placeholder: 'Answer from this context:\n{{context}}\n\nQuestion: {{question}}' });
  const variables = h('input', { type: 'text', id: 'new-variables', placeholder: 'context, question' });
  main.append(h('h1', {}, 'Prompts'),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('div', { class: 'table-wrap' }, h('table', {}, h('caption', {}, 'Prompts of this environment'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', class: 'num' }, 'Live'),
          h('th', { scope: 'col', class: 'num' }, 'Latest'), h('th', { scope: 'col' }, 'Updated'))), list))),
      h('form', { class: 'panel', onsubmit: create, 'aria-labelledby': 'new-prompt' },
        h('h2', { id: 'new-prompt' }, 'New prompt or version'),
        h('label', { for: 'new-name' }, 'Name'), name,
        h('label', { for: 'new-body' }, 'Body ({{variable}} placeholders; {{context}} is filled by retrieval)'), body,
        h('label', { for: 'new-variables' }, 'Variables (comma-separated, optional)'), variables,
        h('p', {}, h('button', { type: 'submit' }, 'Save version')))),
    detail);

  async function load() {
    const prompts = await api('/api/v1/prompts?page_size=100');
    fill(list, ...prompts.items.map(p => h('tr', {},
      h('td', {}, h('a', { href: `#/prompts?name=${encodeURIComponent(p.name)}` }, p.name)),
      h('td', { class: 'num' }, p.live_version ?? '—'), h('td', { class: 'num' }, p.latest_version), h('td', {}, when(p.updated_at)))));
    if (prompts.items.length === 0) fill(list, h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No prompts yet.')));
  }

  async function create(e) {
    e.preventDefault();
    const vars = variables.value.split(',').map(v => v.trim()).filter(Boolean);
    try {
      const created = await api('/api/v1/prompts', { method: 'POST', body: { name: name.value.trim(), body: body.value, variables: vars.length ? vars : undefined } });
      toast(`Saved ${created.name} version ${created.version_number}.`);
      await load();
      const hash = `#/prompts?name=${encodeURIComponent(created.name)}`;
      if (location.hash === hash) await showPrompt(detail, created.name, load); else location.hash = hash;
    } catch (err) { showError(err); }
  }

  await load();
  const chosen = params.get('name');
  if (chosen) await showPrompt(detail, chosen, load);
}

async function showPrompt(detail, name, reload) {
  const versions = await api(`/api/v1/prompts/${encodeURIComponent(name)}/versions`);
  const items = versions.items;
  const pick = (id, label, preselect) => h('div', {}, h('label', { for: id }, label),
    h('select', { id }, ...items.map(v => h('option', { value: v.version_number, selected: v.version_number === preselect }, `v${v.version_number}${v.live ? ' (live)' : ''}`))));
  const latest = items.at(-1)?.version_number;
  const diffA = pick('diff-a', 'From', items.at(-2)?.version_number ?? latest);
  const diffB = pick('diff-b', 'To', latest);
  const diffOut = h('div', { class: 'diff', id: 'diff' });
  const showDiff = () => {
    const a = items.find(v => v.version_number === Number(diffA.querySelector('select').value));
    const b = items.find(v => v.version_number === Number(diffB.querySelector('select').value));
    fill(diffOut, h('pre', {}, ...diff(a.body.split('\n'), b.body.split('\n')).map(([op, line]) =>
      h('span', { class: op === '+' ? 'add' : op === '-' ? 'del' : null }, `${op} ${line}`))));
  };
  diffA.addEventListener('change', showDiff);
  diffB.addEventListener('change', showDiff);

  const vars = h('textarea', { id: 'render-vars', placeholder: 'question=What did the speaker promise?' });
  const query = h('input', { type: 'text', id: 'render-query', placeholder: 'what to retrieve into {{context}}' });
  const topK = h('input', { type: 'number', id: 'render-top-k', min: 1, max: 50, value: 5 });
  const out = h('div', { id: 'rendered', 'aria-live': 'polite' });
  const live = items.find(v => v.live);
  if (live) vars.value = live.variables.filter(v => v !== 'context').map(v => `${v}=`).join('\n');

  fill(detail,
    h('section', { class: 'panel' }, h('h2', {}, `${versions.name}: versions`),
      h('div', { class: 'table-wrap' }, h('table', { id: 'versions' },
        h('thead', {}, h('tr', {}, ...['Version', 'Variables', 'Created', 'Body', ''].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...items.map(v => h('tr', {},
          h('td', {}, `v${v.version_number}`, v.live ? h('span', { class: 'badge ready' }, ' live') : null),
          h('td', {}, v.variables.join(', ')), h('td', {}, when(v.created_at)),
          h('td', {}, h('code', {}, v.body.length > 80 ? v.body.slice(0, 80) + '…' : v.body)),
          h('td', {}, v.live ? null : h('button', {
            type: 'button', class: 'secondary', 'aria-label': `Set version ${v.version_number} live`, onclick: async () => {
              try { await api(`/api/v1/prompts/${encodeURIComponent(name)}/versions/${v.version_number}/live`, { method: 'POST' }); toast(`v${v.version_number} is live.`); await reload(); await showPrompt(detail, name, reload); }
              catch (e) { showError(e); }
            },
          }, 'Set live')))))))),
    items.length > 1 ? h('section', { class: 'panel' }, h('h2', {}, 'Diff'), h('div', { class: 'row' }, diffA, diffB), diffOut) : null,
    h('form', {
      class: 'panel', id: 'render-form', onsubmit: async e => {
        e.preventDefault();
        const variables = Object.fromEntries(vars.value.split('\n').map(l => l.trim()).filter(Boolean)
          .map(l => [l.slice(0, l.indexOf('=') < 0 ? l.length : l.indexOf('=')).trim(), l.indexOf('=') < 0 ? '' : l.slice(l.indexOf('=') + 1).trim()]));
        try {
          const r = await api(`/api/v1/prompts/${encodeURIComponent(name)}/render`, {
            method: 'POST', body: { variables, query: query.value.trim() || undefined, top_k: Number(topK.value) || 5 },
          });
          fill(out, h('h3', {}, `Rendered v${r.version_number}`), h('pre', { id: 'rendered-text' }, r.prompt),
            r.sources.length ? h('div', {}, h('h3', {}, 'Sources'), h('ol', {}, ...r.sources.map(s =>
              h('li', {}, h('a', { href: momentLink(s.file_id, s.start_time) }, s.file_name),
                ` ${where(s)} · score ${s.score.toFixed(3)}`)))) : null);
        } catch (err) { showError(err); }
      },
    },
    h('h2', {}, 'Render the live version'),
    h('label', { for: 'render-vars' }, 'Variables (one name=value per line)'), vars,
    h('div', { class: 'row' }, h('div', {}, h('label', { for: 'render-query' }, 'Retrieval query (fills {{context}})'), query),
      h('div', { class: 'shrink' }, h('label', { for: 'render-top-k' }, 'Top k'), topK)),
    h('p', {}, h('button', { type: 'submit' }, 'Render')), out));
  if (items.length > 1) showDiff();
}

/** A line diff (longest common subsequence): [op, line] with op ' ', '-' or '+'. */
export function diff(a, b) {
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push([' ', a[i]]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push(['-', a[i++]]);
    else out.push(['+', b[j++]]);
  }
  while (i < n) out.push(['-', a[i++]]);
  while (j < m) out.push(['+', b[j++]]);
  return out;
}
