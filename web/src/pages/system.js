// The system page: version and uptime, the ports to open in a firewall, TLS certificates.
import { html } from '../html.js';
import { get } from '../api.js';
import { formatTime, formatUptime } from '../format.js';
import { useLoad } from '../use_load.js';
import { Table } from '../components/table.js';
import { ErrorNotice, Loading } from '../components/notice.js';

const kCertificateWarningDays = 30;

const listOf = (answer) => (Array.isArray(answer) ? answer : answer.items || []);
const portsOf = (entry) =>
  entry.last_port && entry.last_port !== entry.first_port
    ? `${entry.first_port}-${entry.last_port}`
    : `${entry.first_port}`;

// The nftables rule that lets this entry's traffic in (or why none is needed).
function firewallHint(entry) {
  if (entry.direction === 'outbound') return 'outgoing: allowed by most firewalls';
  const ports = portsOf(entry);
  const protocols = entry.protocol.split('+');
  return protocols.length > 1
    ? `meta l4proto { ${protocols.join(', ')} } th dport ${ports} accept`
    : `${protocols[0]} dport ${ports} accept`;
}

const portColumns = [
  { label: 'Service', key: 'service' },
  { label: 'Protocol', key: 'protocol' },
  { label: 'Direction', key: 'direction' },
  { label: 'Address', key: 'address' },
  { label: 'Port', render: portsOf, className: 'nowrap' },
  { label: 'Purpose', key: 'purpose' },
  { label: 'TLS', key: 'tls' },
  { label: 'Firewall (nftables)', render: (entry) => html`<code>${firewallHint(entry)}</code>` },
];

const certificateColumns = [
  { label: 'Service', key: 'service' },
  { label: 'Subject', key: 'subject' },
  {
    label: 'Issuer',
    render: (cert) =>
      cert.self_signed ? html`${cert.issuer} <span class="badge">self-signed</span>` : cert.issuer,
  },
  { label: 'Valid until', render: (cert) => formatTime(cert.not_after) },
  {
    label: 'Days left',
    render: (cert) =>
      html`<span class=${cert.days_left < kCertificateWarningDays ? 'badge warn' : 'badge ok'}>
        ${cert.days_left}
      </span>`,
  },
];

export function System() {
  const system = useLoad(() => get('/system'), []);
  const ports = useLoad(async () => listOf(await get('/system/ports')), []);
  const certificates = useLoad(async () => listOf(await get('/system/certificates')), []);
  return html`<section aria-labelledby="page-title">
    <h1 id="page-title" tabindex="-1">System</h1>
    <section class="panel" aria-labelledby="about-title">
      <h2 id="about-title">This server</h2>
      <${ErrorNotice} error=${system.error} />
      ${system.data
        ? html`<dl class="facts">
            <dt>Version</dt><dd>${system.data.version}</dd>
            <dt>Running since</dt><dd>${formatTime(system.data.started_at)}</dd>
            <dt>Uptime</dt><dd>${formatUptime(system.data.uptime_seconds)}</dd>
          </dl>`
        : html`<${Loading} />`}
    </section>
    <section class="panel" aria-labelledby="ports-title">
      <h2 id="ports-title">Ports</h2>
      <p class="intro">
        Open the inbound ports in the firewall in front of Starling;${' '}
        <code>starling firewall</code> prints complete rules.
      </p>
      <${ErrorNotice} error=${ports.error} />
      ${ports.data
        ? html`<${Table} caption="Ports" hideCaption=${true} columns=${portColumns} rows=${ports.data}
            rowKey=${(entry) => `${entry.service} ${entry.protocol} ${entry.direction} ${entry.first_port}`}
            empty="No ports." />`
        : html`<${Loading} />`}
    </section>
    <section class="panel" aria-labelledby="certificates-title">
      <h2 id="certificates-title">Certificates</h2>
      <${ErrorNotice} error=${certificates.error} />
      ${certificates.data
        ? html`<${Table} caption="Certificates" hideCaption=${true} columns=${certificateColumns}
            rows=${certificates.data} rowKey=${(cert) => `${cert.service} ${cert.subject}`}
            empty="No certificates." />`
        : html`<${Loading} />`}
    </section>
  </section>`;
}
