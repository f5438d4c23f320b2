// Small DOM helpers: build elements, show messages, format numbers and times.

/** h('button', { class: 'x', onclick }, 'text', child…): an element; null/false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function toast(message, error = false) {
  const box = document.getElementById('toasts');
  const item = h('div', { class: error ? 'toast error' : 'toast' }, message);
  box.append(item);
  setTimeout(() => item.remove(), error ? 9000 : 4000);
}

/** An API failure as a person reads it: what, the catalog code, and the request id to quote. */
export function showError(e) {
  console.error(e);
  const id = e.requestId ? ` (request ${e.requestId})` : '';
  toast(`${e.detail ?? e.message}${e.code ? ` [${e.code}]` : ''}${id}`, true);
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** 83.4 → "1:23.4". */
export function clock(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Where a hit or chunk is: its page, or its time range. */
export function where(item) {
  if (item.page_number !== null && item.page_number !== undefined) return `page ${item.page_number}`;
  if (item.start_time !== null && item.start_time !== undefined) return `${clock(item.start_time)} – ${clock(item.end_time ?? item.start_time)}`;
  return '';
}

/** The text with every word of the query marked (case-insensitive, whole words and prefixes). */
export function highlight(text, query) {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])];
  if (words.length === 0) return [text];
  const pattern = new RegExp(`(${words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'giu');
  return text.split(pattern).map((part, i) => (i % 2 === 1 ? h('mark', {}, part) : part));
}

const working = new Set(['uploading', 'uploaded', 'pending']);
export function statusBadge(status) {
  const kind = status === 'ready' ? 'ready' : status.endsWith('_failed') ? 'failed' : 'working';
  const label = status.replaceAll('_', ' ');
  return h('span', { class: `badge ${kind}`, 'data-status': status }, label);
}
export function isSettled(status) { return status === 'ready' || status.endsWith('_failed'); }
export { working };

/** A button that copies text, saying so. */
export function copyButton(text, label = 'Copy') {
  return h('button', {
    type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(typeof text === 'function' ? text() : text); toast('Copied.'); }
      catch { toast('Copy failed: select the text and copy it.', true); }
    },
  }, label);
}

/** replaceChildren that skips null/false (the DOM would write them as text). */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
}

/**
 * A drop zone with a button that opens the file picker (input id `inputId`); onFiles(files) on either.
 * `extra` children (e.g. the uploads in progress) go inside the zone.
 */
export function dropZone({ id, inputId, text, choose, accept = null, multiple = false, onFiles }, ...extra) {
  const input = h('input', { type: 'file', id: inputId, accept, multiple, hidden: true });
  const drop = h('div', { class: 'drop', id },
    h('p', {}, text),
    h('button', { type: 'button', class: 'secondary', onclick: () => input.click() }, choose), input, ...extra);
  input.addEventListener('change', () => { onFiles([...input.files]); input.value = ''; });
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); onFiles([...e.dataTransfer.files]); });
  return drop;
}

/** A drop zone for one picture; onFile(file). */
export function photoDrop(id, text, onFile) {
  return dropZone({ id, inputId: `${id}-input`, text, choose: 'Choose a photo…', accept: 'image/*',
    onFiles: files => { if (files[0]) onFile(files[0]); } });
}

/** Where a hit or moment opens: its file at its moment (or page). */
export function momentLink(fileId, start) {
  return start !== null && start !== undefined ? `#/assets/${fileId}?t=${start}` : `#/assets/${fileId}`;
}
