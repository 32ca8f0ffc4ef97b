// How times, durations and lists read in the UI.

// The API's times as Date: Unix seconds or an RFC 3339 string; null when absent.
export function toDate(value) {
  if (value === null || value === undefined || value === '' || value === 0) return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(value) {
  const date = toDate(value);
  return date ? dateTime.format(date) : '—';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

// "in 9 minutes", "2 hours ago": for times near now.
export function formatFromNow(value) {
  const date = toDate(value);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const [amount, unit] =
    Math.abs(seconds) < 90
      ? [seconds, 'second']
      : Math.abs(seconds) < 5400
        ? [Math.round(seconds / 60), 'minute']
        : [Math.round(seconds / 3600), 'hour'];
  return relative.format(amount, unit);
}

// 3725 -> "1:02:05", 65 -> "1:05".
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

// 90061 -> "1 d 1 h 1 min".
export function formatUptime(seconds) {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return [days && `${days} d`, (days || hours) && `${hours} h`, `${minutes} min`]
    .filter(Boolean)
    .join(' ');
}

export const joined = (list) => (list && list.length ? list.join(', ') : '—');
