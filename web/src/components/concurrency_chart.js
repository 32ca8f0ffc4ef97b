// Concurrent calls over the last 24 hours, as a step chart drawn by uPlot.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from '../html.js';
import { toDate } from '../format.js';

const kDaySeconds = 24 * 3600;
const kHeight = 220;

// Call records -> [times, counts]: the number of calls in progress at each change, over
// [now - 24 h, now]; a call still in progress (no ended_at) counts until now.
export function concurrency(records, nowSeconds) {
  const from = nowSeconds - kDaySeconds;
  const changes = [];
  let atStart = 0;
  for (const record of records) {
    const started = toDate(record.started_at);
    if (!started) continue;
    const begin = started.getTime() / 1000;
    const ended = toDate(record.ended_at);
    const end = ended ? ended.getTime() / 1000 : nowSeconds;
    if (end < from || begin > nowSeconds) continue;
    if (begin <= from) atStart++;
    else changes.push([begin, 1]);
    if (end < nowSeconds) changes.push([end, -1]);
  }
  // At equal times, ends before starts: back-to-back calls do not count as overlapping.
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const times = [from];
  const counts = [atStart];
  let current = atStart;
  for (const [time, delta] of changes) {
    current += delta;
    if (times[times.length - 1] === time) counts[counts.length - 1] = current;
    else {
      times.push(time);
      counts.push(current);
    }
  }
  times.push(nowSeconds);
  counts.push(current);
  return [times, counts];
}

export function ConcurrencyChart({ records }) {
  const box = useRef(null);
  const plot = useRef(null);
  const now = Math.floor(Date.now() / 1000);
  const data = concurrency(records, now);
  const peak = Math.max(...data[1]);

  useEffect(() => {
    const options = {
      width: box.current.clientWidth,
      height: kHeight,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(2, max + 1)] } },
      axes: [{}, { label: 'Calls', size: 50, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
      series: [
        {},
        {
          label: 'Concurrent calls',
          stroke: '#1f4e79',
          width: 2,
          fill: 'rgba(31, 78, 121, 0.12)',
          paths: uPlot.paths.stepped({ align: 1 }),
          points: { show: false },
        },
      ],
    };
    plot.current = new uPlot(options, data, box.current);
    const resize = new ResizeObserver(() =>
      plot.current.setSize({ width: box.current.clientWidth, height: kHeight }),
    );
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.current.destroy();
    };
  }, []);

  useEffect(() => {
    if (plot.current) plot.current.setData(data);
  }, [records]);

  return html`<figure class="chart">
    <div ref=${box} class="chart-box" role="img"
      aria-label=${`Concurrent calls over the last 24 hours; peak ${peak}.`}></div>
    <figcaption>Peak over the last 24 hours: ${peak} concurrent ${peak === 1 ? 'call' : 'calls'}.</figcaption>
  </figure>`;
}
