// People: the faces seen in this environment's videos and images, clustered into person_1, person_2, …
// #/people lists them and finds a person by a photo of their face; #/people/<id> shows their moments and renames them.
import { api, blobUrl } from './api.js';
import { h, where, showError, toast, fill, photoDrop, momentLink } from './ui.js';

export async function render(main, { id }) {
  if (id) return renderPerson(main, id);
  const list = h('ul', { class: 'people', id: 'people', 'aria-live': 'polite' });
  const found = h('div', { id: 'person-hits', 'aria-live': 'polite' });
  const summary = h('p', { class: 'muted' }, 'Loading…');
  main.append(h('h1', {}, 'People'),
    h('section', { class: 'panel', 'aria-label': 'Find this person' }, h('h2', {}, 'Find this person'),
      photoDrop('face-drop', 'Drop a photo of a face here: the moments where that person is seen, most alike first.', find), found),
    h('section', {}, h('h2', {}, 'Everyone seen'), summary, list));

  const people = await api('/api/v1/people');
  summary.textContent = people.total
    ? `${people.total} ${people.total === 1 ? 'person' : 'people'}, from the faces in this environment's videos and images.`
    : 'No one yet: faces are found in videos and images when the vision step is on.';
  fill(list, ...people.items.map(p => h('li', { class: 'panel person', dataset: { id: p.id } },
    h('a', { href: `#/people/${p.id}` }, thumbnail(p), h('strong', {}, p.name ?? p.id)),
    h('div', { class: 'muted' }, p.name ? `${p.id} · ` : '', `${p.moment_count} moment${p.moment_count === 1 ? '' : 's'}`))));

  async function find(file) {
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('top_k', '20');
    fill(found, h('p', { class: 'muted' }, `Looking for the face in ${file.name}…`));
    try {
      const answer = await api('/api/v1/people/search', { method: 'POST', body: form });
      fill(found,
        h('p', { class: 'muted' }, `${answer.total_results} moment${answer.total_results === 1 ? '' : 's'} in ${answer.search_time_ms} ms`),
        h('ol', { class: 'hits', id: 'face-hits' }, ...answer.results.map(hit => h('li', { dataset: { personId: hit.person_id } },
          h('div', { class: 'hit-head' },
            h('span', { class: 'score', title: 'similarity, 0 to 1' }, hit.similarity.toFixed(3)),
            h('a', { href: `#/people/${hit.person_id}` }, hit.person_name ?? hit.person_id),
            h('a', { href: momentLink(hit.file_id, hit.start_time), class: 'hit-link' }, hit.file_name, where(hit) ? ` · ${where(hit)}` : ''))))));
    } catch (e) {
      fill(found);
      showError(e);
    }
  }
}

function thumbnail(p, size = 96) {
  const img = h('img', { class: 'face', alt: '', width: size, height: size });
  blobUrl(p.thumbnail_url).then(u => { img.src = u; }, () => {});
  return img;
}

async function renderPerson(main, id) {
  let person = await api(`/api/v1/people/${encodeURIComponent(id)}`);
  const title = h('h1', {}, person.name ?? person.id);
  const name = h('input', { type: 'text', id: 'person-name', value: person.name ?? '', placeholder: person.id, autocomplete: 'off' });
  const form = h('form', {
    class: 'row', onsubmit: async e => {
      e.preventDefault();
      try {
        person = { ...person, ...await api(`/api/v1/people/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name: name.value.trim() || null } }) };
        title.textContent = person.name ?? person.id;
        document.title = `${title.textContent} · Mnemo console`;
        toast(person.name ? `${person.id} is now ${person.name}.` : `${person.id} has no name now.`);
      } catch (err) { showError(err); }
    },
  },
  h('div', {}, h('label', { for: 'person-name' }, 'Name'), name),
  h('div', { class: 'shrink' }, h('button', { type: 'submit' }, 'Rename')));
  const moments = h('ol', { class: 'lines', id: 'moments', 'aria-label': 'Moments' }, ...person.moments.map(m => h('li', {},
    h('a', { class: 'moment', href: momentLink(m.file_id, m.start_time) },
      h('span', { class: 'time' }, where(m) || 'a photo'), h('span', {}, m.file_name)))));
  main.append(h('p', {}, h('a', { href: '#/people' }, '← People')), title,
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('h2', {}, `Seen ${person.moment_count} time${person.moment_count === 1 ? '' : 's'}`),
        person.moments.length ? moments : h('p', { class: 'muted' }, 'No moments left.')),
      h('section', { class: 'panel' }, thumbnail(person, 160),
        h('p', { class: 'muted' }, `${person.id} · ${person.face_count} face${person.face_count === 1 ? '' : 's'}`),
        form, h('p', { class: 'muted' }, 'A name finds this person\'s moments in search; leave it empty to remove it.'))));
}
