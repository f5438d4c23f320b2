// Usage: balance, charged requests and credits per day (inline SVG), the ledger, and the rate-limit budgets seen.
import { api, budgets } from './api.js';
import { h, when } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
};

export async function render(main) {
  const [usage, daily] = await Promise.all([api('/api/v1/usage?limit=50'), api('/api/v1/usage/daily?days=14')]);
  const spent = daily.days.reduce((sum, d) => sum + d.credits, 0);
  const requests = daily.days.reduce((sum, d) => sum + d.requests, 0);
  main.append(h('h1', {}, 'Usage'),
    h('div', { class: 'cards' },
      h('section', { class: 'panel card' }, h('h2', {}, 'Balance'), h('div', { class: 'big', id: 'balance' }, usage.balance.toLocaleString()), h('span', { class: 'muted' }, 'credits')),
      h('section', { class: 'panel card' }, h('h2', {}, 'Last 14 days'), h('div', { class: 'big' }, spent.toLocaleString()),
        h('span', { class: 'muted' }, `credits spent on ${requests.toLocaleString()} charged requests`))),
    h('div', { class: 'grid-even' },
      h('section', { class: 'panel' }, h('h2', { id: 'chart-requests' }, 'Charged requests per day'), chart(daily.days, 'requests', 'bar1', 'chart-requests')),
      h('section', { class: 'panel' }, h('h2', { id: 'chart-credits' }, 'Credits per day'), chart(daily.days, 'credits', 'bar2', 'chart-credits'))),
    h('section', { class: 'panel' }, h('h2', {}, 'Rate-limit budgets'),
      h('p', { class: 'muted' }, 'As the server reported them (RateLimit-* headers) on the console\'s latest request to each route in this tab.'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'budgets' },
        h('thead', {}, h('tr', {}, ...['Route', 'Limit', 'Remaining', 'Resets in', 'Seen'].map((t, i) => h('th', { scope: 'col', class: i > 0 && i < 4 ? 'num' : null }, t)))),
        h('tbody', {}, ...[...budgets.entries()].sort().map(([route, b]) => h('tr', {},
          h('td', {}, h('code', {}, route)), h('td', { class: 'num' }, b.limit), h('td', { class: 'num' }, b.remaining),
          h('td', { class: 'num' }, `${b.reset} s`), h('td', {}, b.at.toLocaleTimeString()))))))),
    h('section', { class: 'panel' }, h('h2', {}, 'Ledger'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'ledger' }, h('caption', {}, 'Every change of the balance, newest first'),
        h('thead', {}, h('tr', {}, ...['When', 'Kind', 'Reason', 'Amount', 'Balance', 'Request'].map((t, i) => h('th', { scope: 'col', class: i === 3 || i === 4 ? 'num' : null }, t)))),
        h('tbody', {}, ...usage.entries.map(e => h('tr', {},
          h('td', {}, when(e.created_at)), h('td', {}, e.kind), h('td', {}, e.reason),
          h('td', { class: 'num' }, e.amount > 0 ? `+${e.amount}` : e.amount), h('td', { class: 'num' }, e.balance_after),
          h('td', {}, h('code', {}, e.request_id ?? '')))))))));
}

/** Bars per day, labelled, with a text alternative (the title and a table-like description). */
function chart(days, field, css, labelledBy) {
  const width = 560, height = 180, pad = 28, bottom = 22;
  const max = Math.max(1, ...days.map(d => d[field]));
  const step = (width - pad) / days.length;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-labelledby': labelledBy });
  svg.append(s('desc', {}, days.map(d => `${d.date}: ${d[field]}`).join('; ')));
  svg.append(s('line', { x1: pad, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }));
  svg.append(s('text', { x: 0, y: 12 }, String(max)), s('text', { x: 0, y: height - bottom }, '0'));
  days.forEach((d, i) => {
    const barHeight = (height - bottom - 16) * d[field] / max;
    const x = pad + i * step + 2;
    svg.append(s('rect', { x, y: height - bottom - barHeight, width: Math.max(2, step - 4), height: barHeight, class: css },
      s('title', {}, `${d.date}: ${d[field]}`)));
    if (i % 2 === days.length % 2 || days.length <= 7) svg.append(s('text', { x, y: height - 6 }, d.date.slice(5)));
  });
  return svg;
}
