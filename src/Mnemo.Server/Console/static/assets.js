// Assets: upload by drag and drop (or the file picker) with progress, and the live list of files.
import { api, upload, blobUrl } from './api.js';
import { h, bytes, clock, when, statusBadge, isSettled, showError, toast, fill, dropZone } from './ui.js';

const visual = f => /^(video|image)\//.test(f.mime_type ?? '');

export async function render(main) {
  const uploads = h('ul', { class: 'uploads', 'aria-label': 'Uploads in progress' });
  const drop = dropZone({ id: 'drop', inputId: 'file-input', text: 'Drop videos, audio, images or documents here.',
    choose: 'Choose files…', multiple: true, onFiles: send }, uploads);
  const body = h('tbody');
  const summary = h('caption', { 'aria-live': 'polite' }, 'Loading…');
  const table = h('div', { class: 'table-wrap' }, h('table', { id: 'assets' }, summary,
    h('thead', {}, h('tr', {}, ...['', 'Name', 'Type', 'Size', 'Duration', 'Status', 'Uploaded', 'Actions'].map((t, i) =>
      h('th', { scope: 'col', class: i === 3 || i === 4 ? 'num' : null }, t)))), body));
  main.append(h('h1', {}, 'Assets'), h('section', { class: 'panel', 'aria-label': 'Upload' }, drop), h('section', { class: 'panel' }, table));

  let timer = null;
  let stopped = false;
  async function refresh() {
    clearTimeout(timer);
    try {
      const list = await api('/api/v1/files?page=1&page_size=100');
      if (stopped) return;
      fill(body, ...list.items.map(row));
      summary.textContent = `${list.total} file${list.total === 1 ? '' : 's'}${list.total > list.items.length ? `, newest ${list.items.length} shown` : ''}`;
      const busy = list.items.some(f => !isSettled(f.status));
      timer = setTimeout(refresh, busy ? 1000 : 10000);
    } catch (e) {
      if (!stopped) { showError(e); timer = setTimeout(refresh, 10000); }
    }
  }

  function row(f) {
    const img = h('img', { class: 'thumb', alt: '', width: 96, height: 54 });
    if (f.status === 'ready' && visual(f)) {
      blobUrl(`/api/v1/files/${f.id}/thumbnails/0`).then(u => { img.src = u; }, () => img.remove());
    }
    const duration = f.extracted?.duration_seconds;
    return h('tr', { dataset: { id: f.id, status: f.status } },
      h('td', {}, img),
      h('td', {}, h('a', { href: `#/assets/${f.id}` }, f.name)),
      h('td', {}, f.mime_type ?? ''),
      h('td', { class: 'num' }, bytes(f.size)),
      h('td', { class: 'num' }, duration ? clock(duration) : ''),
      h('td', {}, statusBadge(f.status), f.error_message ? h('div', { class: 'muted' }, f.error_message) : null),
      h('td', {}, when(f.created_at)),
      h('td', {}, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Re-parse ${f.name}`, disabled: !isSettled(f.status), onclick: () => reparse(f) }, 'Re-parse'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${f.name}`, onclick: () => remove(f) }, 'Delete'))));
  }

  async function reparse(f) {
    try { await api(`/api/v1/files/${f.id}/reparse`, { method: 'POST' }); toast(`Parsing ${f.name} again.`); refresh(); }
    catch (e) { showError(e); }
  }

  async function remove(f) {
    if (!confirm(`Delete ${f.name}, its bytes and everything found in it?`)) return;
    try { await api(`/api/v1/files/${f.id}`, { method: 'DELETE' }); toast(`Deleted ${f.name}.`); refresh(); }
    catch (e) { showError(e); }
  }

  function send(files) {
    for (const file of files) {
      const bar = h('progress', { max: 1, value: 0, 'aria-label': `Uploading ${file.name}` });
      const note = h('span', { class: 'muted' }, ' 0%');
      const item = h('li', {}, h('div', {}, file.name, note), bar);
      uploads.append(item);
      upload('/api/v1/files', file, p => { bar.value = p; note.textContent = ` ${Math.round(p * 100)}%`; })
        .then(() => { note.textContent = ' uploaded'; setTimeout(() => item.remove(), 1500); refresh(); })
        .catch(e => { item.remove(); showError(e); });
    }
  }

  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
