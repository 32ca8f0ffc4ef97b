// Call records: filter by number and date, page through them, export them as CSV.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, kApiBase } from '../api.js';
import { formatDuration, formatTime } from '../format.js';
import { useLoad } from '../use_load.js';
import { Table } from '../components/table.js';
import { ErrorNotice, Loading } from '../components/notice.js';

const kPageSize = 25;

const columns = [
  { label: 'Started', render: (record) => formatTime(record.started_at) },
  { label: 'From', key: 'caller' },
  { label: 'To', key: 'callee' },
  { label: 'Answered', render: (record) => (record.answered_at ? formatTime(record.answered_at) : 'no') },
  { label: 'Duration', render: (record) => (record.answered_at ? formatDuration(record.duration) : '—') },
  { label: 'Ended by', render: (record) => record.hangup_cause || '—' },
];

// The query for the filters: dates are local days, sent as RFC 3339 instants.
function queryOf(filters) {
  const query = new URLSearchParams();
  if (filters.number) query.set('number', filters.number);
  if (filters.since) query.set('since', new Date(`${filters.since}T00:00:00`).toISOString());
  if (filters.until) query.set('until', new Date(`${filters.until}T23:59:59`).toISOString());
  return query;
}

export function CallHistory({ session }) {
  const [filters, setFilters] = useState({ number: '', since: '', until: '' });
  const [draft, setDraft] = useState(filters);
  const [offset, setOffset] = useState(0);
  const query = queryOf(filters);
  const { data, error } = useLoad(
    () => get(`/call-records?${query}&limit=${kPageSize}&offset=${offset}`),
    [query.toString(), offset],
  );
  const csv = new URLSearchParams(query);
  csv.set('format', 'csv');
  const apply = (event) => {
    event.preventDefault();
    setOffset(0);
    setFilters(draft);
  };
  const input = (name) => (event) => setDraft({ ...draft, [name]: event.target.value });
  const title = session.user.role === 'admin' ? 'Call history' : 'My calls';

  return html`<section aria-labelledby="page-title">
    <div class="page-head">
      <h1 id="page-title" tabindex="-1">${title}</h1>
      <a class="button" href=${`${kApiBase}/call-records?${csv}`} download="calls.csv">Export CSV</a>
    </div>
    <form class="filters" onSubmit=${apply} role="search" aria-label="Filter calls">
      <div class="field">
        <label for="filter-number">Number</label>
        <input id="filter-number" inputmode="tel" value=${draft.number} onInput=${input('number')} />
      </div>
      <div class="field">
        <label for="filter-since">From</label>
        <input id="filter-since" type="date" value=${draft.since} onInput=${input('since')} />
      </div>
      <div class="field">
        <label for="filter-until">To</label>
        <input id="filter-until" type="date" value=${draft.until} onInput=${input('until')} />
      </div>
      <div class="buttons"><button type="submit">Filter</button></div>
    </form>
    <${ErrorNotice} error=${error} />
    ${data === undefined && !error && html`<${Loading} />`}
    ${data &&
    html`<${Table} caption=${title} hideCaption=${true} columns=${columns} rows=${data.items}
        rowKey=${(record) => record.id} empty="No calls match." />
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - kPageSize))}>
          Newer
        </button>
        <span>${data.total ? `${offset + 1}–${offset + data.items.length} of ${data.total}` : ''}</span>
        <button type="button" disabled=${offset + kPageSize >= data.total}
          onClick=${() => setOffset(offset + kPageSize)}>
          Older
        </button>
      </nav>`}
  </section>`;
}
