// One asset: the player (or image, or document text), keyframes, transcript with times, text read, objects seen, people seen.
// A click on a keyframe, a transcript line or an object seeks the player; #/assets/<id>?t=12.5 opens at 12.5 s.
import { api, blobUrl, releaseBlob } from './api.js';
import { h, bytes, clock, when, where, statusBadge, isSettled, showError, toast, fill } from './ui.js';

export async function render(main, { id, params }) {
  let stopped = false;
  let timer = null;
  const mediaPath = `/api/v1/files/${id}/download`;
  const start = Number(params.get('t'));

  let file = await api(`/api/v1/files/${id}`);
  const kind = (file.mime_type ?? '').split('/')[0];
  const head = h('div');
  const player = h('div', { class: 'panel', id: 'player' });
  const side = h('div');
  const below = h('div');
  main.append(h('p', {}, h('a', { href: '#/assets' }, '← Assets')), head, h('div', { class: 'grid2' }, h('div', {}, player, below), side));

  function renderHead() {
    const x = file.extracted ?? {};
    fill(head, h('h1', {}, file.name), h('p', { class: 'row' },
      h('span', { class: 'shrink' }, statusBadge(file.status)),
      h('span', { class: 'shrink muted' }, [file.mime_type, bytes(file.size), x.duration_seconds ? clock(x.duration_seconds) : null,
        x.width ? `${x.width}×${x.height}` : null, `uploaded ${when(file.created_at)}`].filter(Boolean).join(' · ')),
      h('span', { class: 'shrink actions' },
        h('button', { type: 'button', class: 'secondary', disabled: !isSettled(file.status), onclick: reparse }, 'Re-parse'),
        h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete'))),
    file.error_message ? h('p', { class: 'panel', role: 'alert' }, file.error_message) : null);
  }

  async function reparse() {
    try { file = await api(`/api/v1/files/${id}/reparse`, { method: 'POST' }); toast('Parsing again.'); renderHead(); poll(); }
    catch (e) { showError(e); }
  }

  async function remove() {
    if (!confirm(`Delete ${file.name}?`)) return;
    try { await api(`/api/v1/files/${id}`, { method: 'DELETE' }); toast(`Deleted ${file.name}.`); location.hash = '#/assets'; }
    catch (e) { showError(e); }
  }

  /** The player: the bytes fetched with the key (a media element cannot send one) and played from memory. */
  let media = null;
  async function renderPlayer() {
    if (kind === 'video' || kind === 'audio') {
      media = h(kind, { controls: true, preload: 'auto', id: 'media', 'aria-label': `${file.name} player` });
      fill(player, media, h('p', { class: 'muted', id: 'position', 'aria-live': 'off' }, ''));
      media.addEventListener('timeupdate', follow);
      try {
        const url = await blobUrl(mediaPath);
        if (stopped) return; // left meanwhile: the URL is being revoked, and loading it would fail
        media.src = url;
        if (start > 0) seek(start, false);
      } catch (e) { showError(e); }
    } else if (kind === 'image') {
      const img = h('img', { class: 'frame', alt: file.name });
      fill(player, img);
      blobUrl(mediaPath).then(u => { if (!stopped) img.src = u; }, showError);
    } else {
      fill(player, h('p', { class: 'muted' }, 'A document: its text is below, page by page.'));
    }
  }

  /** Seeks once the media knows its duration; plays when asked (a click), so the moment is heard. */
  function seek(seconds, play = true) {
    if (!media) return;
    const go = () => { media.currentTime = seconds; if (play) media.play().catch(() => {}); };
    if (media.readyState >= 1) go(); else media.addEventListener('loadedmetadata', go, { once: true });
  }

  let lines = [];
  function follow() {
    document.getElementById('position').textContent = `at ${clock(media.currentTime)}`;
    for (const { li, from, to } of lines) li.classList.toggle('current', media.currentTime >= from && media.currentTime < to);
  }

  function timed(items, label, listId) {
    const list = h('ol', { class: 'lines', id: listId, 'aria-label': label });
    for (const c of items) {
      const button = h('button', { type: 'button', onclick: () => seek(c.start_time ?? 0), dataset: { start: c.start_time ?? '' } },
        h('span', { class: 'time' }, where(c)), h('span', {}, c.content, c.confidence ? h('span', { class: 'muted' }, ` (${Math.round(c.confidence * 100)}%)`) : null));
      const li = h('li', {}, button);
      if (c.start_time !== null && c.start_time !== undefined) lines.push({ li, from: c.start_time, to: c.end_time ?? c.start_time + 1 });
      list.append(li);
    }
    return list;
  }

  async function renderFound() {
    if (file.status !== 'ready') {
      fill(side, h('p', { class: 'panel muted', 'aria-live': 'polite' }, `Parsing: ${file.status.replaceAll('_', ' ')}…`));
      return;
    }
    const [content, thumbs] = await Promise.all([api(`/api/v1/files/${id}/content`), api(`/api/v1/files/${id}/thumbnails`)]);
    lines = [];
    const by = k => content.chunks.filter(c => c.kind === k);
    const transcript = by('transcript');
    const text = by('text');
    const seen = by('seen');
    fill(side,
      kind === 'video' || kind === 'image' ? peopleSection() : null,
      h('section', { class: 'panel' }, h('h2', {}, 'Transcript'),
        transcript.length ? timed(transcript, 'Transcript', 'transcript') : h('p', { class: 'muted' }, 'No speech or subtitles found.')),
      seen.length ? h('section', { class: 'panel' }, h('h2', {}, 'Objects seen'), timed(seen, 'Objects seen', 'objects')) : null);
    const keyframes = h('div', { class: 'keyframes', id: 'keyframes' });
    for (const t of thumbs) {
      const img = h('img', { alt: `Keyframe at ${clock(t.at_seconds)}`, width: 128, height: 72 });
      blobUrl(t.url).then(u => { img.src = u; }, () => {});
      keyframes.append(h('button', { type: 'button', onclick: () => seek(t.at_seconds), title: `Play from ${clock(t.at_seconds)}` }, img, clock(t.at_seconds)));
    }
    fill(below,
      thumbs.length && kind === 'video' ? h('section', { class: 'panel' }, h('h2', {}, 'Keyframes'), keyframes) : null,
      h('section', { class: 'panel' }, h('h2', {}, kind === 'video' || kind === 'image' ? 'Text read in the picture' : 'Text'),
        text.length ? timed(text, 'Text', 'text') : h('p', { class: 'muted' }, 'No text found.')));
  }

  /** The people seen in this asset, from the people's moments: asked only while there are few people (one request each). */
  function peopleSection() {
    const section = h('section', { class: 'panel', id: 'asset-people', hidden: true }, h('h2', {}, 'People seen'));
    (async () => {
      const people = await api('/api/v1/people');
      if (people.total === 0 || people.total > 12) return;
      const details = await Promise.all(people.items.map(p => api(`/api/v1/people/${p.id}`)));
      const here = details.map(p => ({ p, moments: p.moments.filter(m => m.file_id === id) })).filter(x => x.moments.length);
      if (here.length === 0) return;
      section.append(h('ul', { class: 'chips' }, ...here.map(({ p, moments }) => {
        const img = h('img', { class: 'face', alt: '', width: 40, height: 40 });
        blobUrl(p.thumbnail_url).then(u => { img.src = u; }, () => {});
        return h('li', {}, h('a', { href: `#/people/${p.id}` }, img, p.name ?? p.id),
          ...moments.filter(m => m.start_time !== null).map(m => h('button', { type: 'button', class: 'link', onclick: () => seek(m.start_time) }, ` ${where(m)}`)));
      })));
      section.hidden = false;
    })().catch(() => {});  // people are extra: a failure leaves the section hidden
    return section;
  }

  async function poll() {
    clearTimeout(timer);
    if (stopped) return;
    try {
      file = await api(`/api/v1/files/${id}`);
      renderHead();
      if (isSettled(file.status)) { await renderFound(); return; }
      renderFound();
    } catch (e) { showError(e); }
    timer = setTimeout(poll, 1000);
  }

  renderHead();
  renderPlayer();
  await poll();
  // The player lets go of the bytes before their URL is revoked: a video still loading would fail on it.
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (media) { media.removeEventListener('timeupdate', follow); media.pause(); media.removeAttribute('src'); media.load(); }
    releaseBlob(mediaPath);
  };
}
