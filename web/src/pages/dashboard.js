// The dashboard: registered devices and active calls (live), recent calls, 24-hour chart.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, getAll, remove, segment } from '../api.js';
import { useEvents, useEventStatus } from '../events.js';
import { formatDuration, formatFromNow, formatTime, toDate } from '../format.js';
import { useLoad } from '../use_load.js';
import { Table } from '../components/table.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { ConcurrencyChart } from '../components/concurrency_chart.js';

const kRecent = 10;
// Records for the chart are reloaded at most this often, however busy the system is.
const kChartRefreshMs = 10000;

// Runs `reload` once shortly after a burst of events rather than once per event.
function useDebounced(reload, delayMs) {
  const latest = useRef(reload);
  latest.current = reload;
  const timer = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), delayMs);
  }, [delayMs]);
}

// Re-renders every second, for durations that grow.
function useTick() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 1000);
    return () => clearInterval(timer);
  }, []);
}

function LiveStatus() {
  const status = useEventStatus();
  const text = { open: 'Live', connecting: 'Connecting…', closed: 'Offline, retrying…' }[status];
  return html`<p class="live" data-status=${status} role="status">
    <span class="dot" aria-hidden="true"></span>${text}
  </p>`;
}

function ActiveCalls({ calls, admin, onHangUp }) {
  useTick();
  const now = Date.now();
  const since = (call) => toDate(call.answered_at) || toDate(call.started_at);
  const columns = [
    { label: 'From', key: 'caller' },
    { label: 'To', key: 'callee' },
    { label: 'State', key: 'state' },
    { label: 'Duration', render: (call) => (since(call) ? formatDuration((now - since(call)) / 1000) : '—') },
  ];
  if (admin)
    columns.push({
      label: 'Actions',
      className: 'actions',
      render: (call) => html`<button type="button" class="danger" onClick=${() => onHangUp(call)}
        aria-label=${`Hang up the call from ${call.caller} to ${call.callee}`}>Hang up</button>`,
    });
  return html`<${Table} caption="Active calls" hideCaption=${true} columns=${columns} rows=${calls}
    rowKey=${(call) => call.id} empty="No calls in progress." />`;
}

const registrationColumns = [
  { label: 'Device', render: (row) => row.device || row.aor },
  { label: 'User', render: (row) => row.user || '—' },
  { label: 'Transport', key: 'transport' },
  { label: 'From', render: (row) => row.source || row.contact },
  { label: 'Phone', render: (row) => row.user_agent || '—' },
  { label: 'Expires', render: (row) => formatFromNow(row.expires_at) },
];

const recordColumns = [
  { label: 'Started', render: (record) => formatTime(record.started_at) },
  { label: 'From', key: 'caller' },
  { label: 'To', key: 'callee' },
  { label: 'Duration', render: (record) => (record.answered_at ? formatDuration(record.duration) : 'not answered') },
  { label: 'Ended by', render: (record) => record.hangup_cause || '—' },
];

export function Dashboard({ session }) {
  const admin = session.user.role === 'admin';
  const registrations = useLoad(() => getAll('/registrations'), []);
  const calls = useLoad(() => getAll('/calls'), []);
  const recent = useLoad(async () => (await get(`/call-records?limit=${kRecent}`)).items, []);
  const day = useLoad(() => {
    const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    return getAll(`/call-records?since=${encodeURIComponent(since)}`);
  }, []);
  const [failure, setFailure] = useState(null);

  const reloadRegistrations = useDebounced(registrations.reload, 200);
  const reloadCalls = useDebounced(calls.reload, 200);
  const reloadRecords = useDebounced(() => {
    recent.reload();
    day.reload();
  }, 1000);
  const lastChart = useRef(0);

  useEvents(
    useCallback(
      (event) => {
        if (event.type === 'registration' || event.type === 'reconnected') reloadRegistrations();
        if (event.type === 'call' || event.type === 'reconnected') {
          reloadCalls();
          if (Date.now() - lastChart.current > kChartRefreshMs || event.state === 'ended') {
            lastChart.current = Date.now();
            reloadRecords();
          }
        }
      },
      [reloadRegistrations, reloadCalls, reloadRecords],
    ),
  );

  const hangUp = async (call) => {
    try {
      await remove(`/calls/${segment(call.id)}`);
      setFailure(null);
      calls.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  return html`<section aria-labelledby="page-title">
    <div class="page-head">
      <h1 id="page-title" tabindex="-1">Dashboard</h1>
      <${LiveStatus} />
    </div>
    <div class="grid">
      <section class="panel" aria-labelledby="calls-title" data-panel="active-calls">
        <h2 id="calls-title">Active calls ${calls.data && html`<span class="count">${calls.data.length}</span>`}</h2>
        <${ErrorNotice} error=${calls.error || failure} />
        ${calls.data
          ? html`<${ActiveCalls} calls=${calls.data} admin=${admin} onHangUp=${hangUp} />`
          : html`<${Loading} />`}
      </section>
      <section class="panel" aria-labelledby="registrations-title" data-panel="registrations">
        <h2 id="registrations-title">
          Registered devices ${registrations.data && html`<span class="count">${registrations.data.length}</span>`}
        </h2>
        <${ErrorNotice} error=${registrations.error} />
        ${registrations.data
          ? html`<${Table} caption="Registered devices" hideCaption=${true} columns=${registrationColumns}
              rows=${registrations.data} rowKey=${(row) => `${row.aor} ${row.contact}`}
              empty="No device is registered." />`
          : html`<${Loading} />`}
      </section>
    </div>
    <section class="panel" aria-labelledby="chart-title">
      <h2 id="chart-title">Concurrent calls, last 24 hours</h2>
      <${ErrorNotice} error=${day.error} />
      ${day.data ? html`<${ConcurrencyChart} records=${day.data} />` : html`<${Loading} />`}
    </section>
    <section class="panel" aria-labelledby="recent-title" data-panel="recent-calls">
      <h2 id="recent-title">Recent calls</h2>
      <${ErrorNotice} error=${recent.error} />
      ${recent.data
        ? html`<${Table} caption="Recent calls" hideCaption=${true} columns=${recordColumns}
            rows=${recent.data} rowKey=${(record) => record.id} empty="No calls yet." />`
        : html`<${Loading} />`}
      <p><a href="/my/calls">All calls</a></p>
    </section>
  </section>`;
}
