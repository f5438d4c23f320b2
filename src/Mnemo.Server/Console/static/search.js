// Search playground: memic POST /api/v1/search (the same hybrid search as every surface), or POST /api/v1/search/image
// with a picture, their hits, and the request as curl.
import { api } from './api.js';
import { h, where, highlight, showError, copyButton, fill, photoDrop, momentLink } from './ui.js';

const last = { query: '', topK: 10, minScore: 0 };

export async function render(main, { params }) {
  const query = h('input', { type: 'text', id: 'query', value: params.get('q') ?? last.query, required: true, placeholder: 'e.g. what was said about the budget' });
  const topK = h('input', { type: 'number', id: 'top-k', min: 1, max: 50, value: last.topK });
  const minScore = h('input', { type: 'number', id: 'min-score', min: 0, max: 1, step: 0.05, value: last.minScore });
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const curl = h('pre', { id: 'curl' });
  const form = h('form', { class: 'panel', role: 'search', onsubmit: e => { e.preventDefault(); run(); } },
    h('div', { class: 'row' },
      h('div', {}, h('label', { for: 'query' }, 'Query'), query),
      h('div', { class: 'shrink' }, h('label', { for: 'top-k' }, 'Top k'), topK),
      h('div', { class: 'shrink' }, h('label', { for: 'min-score' }, 'Min score'), minScore),
      h('div', { class: 'shrink' }, h('button', { type: 'submit' }, 'Search'))));
  let photo = null;  // the picture of the last search by image, until the text is searched again
  const byImage = h('section', { class: 'panel', 'aria-label': 'Search with a picture' },
    h('h2', {}, 'Search with a picture'),
    photoDrop('image-drop', 'Drop a photo here (or choose one): the images and video moments that look like it, with Top k and Min score above.', file => { photo = file; runImage(); }));
  main.append(h('h1', {}, 'Search'), form, byImage,
    h('section', { class: 'panel' }, h('h2', {}, 'The request'), curl, copyButton(() => curl.textContent, 'Copy curl')),
    h('section', {}, h('h2', {}, 'Results'), results));

  function request() {
    return { query: query.value.trim(), top_k: Number(topK.value) || 10, min_score: Number(minScore.value) || 0 };
  }

  function showCurl() {
    if (photo) {
      const { top_k, min_score } = request();
      curl.textContent = `curl -s -H "X-API-Key: $MNEMO_API_KEY" -F 'file=@${photo.name.replaceAll("'", '')}' -F top_k=${top_k} -F min_score=${min_score} \\\n     ${location.origin}/api/v1/search/image`;
      return;
    }
    const body = JSON.stringify(request()).replaceAll("'", "'\\''");
    curl.textContent = `curl -s -H "X-API-Key: $MNEMO_API_KEY" -H 'Content-Type: application/json' \\\n     -d '${body}' ${location.origin}/api/v1/search`;
  }

  async function run() {
    const body = request();
    if (!body.query) return;
    photo = null;
    Object.assign(last, { query: body.query, topK: body.top_k, minScore: body.min_score });
    showCurl();
    fill(results, h('p', { class: 'muted' }, 'Searching…'));
    try {
      const answer = await api('/api/v1/search', { method: 'POST', body });
      show(answer, body.query);
    } catch (e) {
      fill(results);
      showError(e);
    }
  }

  /** The same search with the picture as the query (multipart, as the curl shows). */
  async function runImage() {
    const { top_k, min_score } = request();
    Object.assign(last, { topK: top_k, minScore: min_score });
    showCurl();
    fill(results, h('p', { class: 'muted' }, `Searching with ${photo.name}…`));
    const form = new FormData();
    form.append('file', photo, photo.name);
    form.append('top_k', String(top_k));
    form.append('min_score', String(min_score));
    try {
      show(await api('/api/v1/search/image', { method: 'POST', body: form }), null);
    } catch (e) {
      fill(results);
      showError(e);
    }
  }

  /** Hits of either search; a text hit shows its passage with the query's words marked. */
  function show(answer, text) {
    const hits = answer.results.semantic;
    fill(results,
      h('p', { class: 'muted' }, `${hits.length} result${hits.length === 1 ? '' : 's'} in ${answer.search_time_ms} ms (${answer.routing?.route ?? 'hybrid'})`),
      h('ol', { class: 'hits', id: 'hits' }, ...hits.map(hit => h('li', { dataset: { fileId: hit.file_id } },
        h('div', { class: 'hit-head' },
          h('span', { class: 'score', title: 'score, 0 to 1' }, hit.score.toFixed(3)),
          h('a', { href: momentLink(hit.file_id, hit.start_time), class: 'hit-link' }, hit.file_name, where(hit) ? ` · ${where(hit)}` : ''),
          h('span', { class: 'muted' }, hit.mime_type ?? '')),
        text === null ? null : h('p', {}, ...highlight(hit.content, text))))));
  }

  query.addEventListener('input', () => { photo = null; showCurl(); });
  for (const input of [topK, minScore]) input.addEventListener('input', showCurl);
  showCurl();
  if (query.value) run();
  query.focus();
}
