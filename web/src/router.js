// Client-side routing over the History API: the server answers every UI path with index.html.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

export function navigate(path, { replace = false } = {}) {
  if (path === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  listeners.forEach((listener) => listener());
}

window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

// The current path, re-rendering the caller when it changes.
export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return path;
}

// Plain left clicks on same-origin links navigate without reloading the page.
export function followLinks(event) {
  const link = event.target.closest && event.target.closest('a[href^="/"]');
  if (!link || link.hasAttribute('download') || link.target || event.defaultPrevented) return;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.getAttribute('href').startsWith('/api/')) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
}

// "/users/alice" against "/users/:name" -> {name: "alice"}, or null.
export function match(pattern, path) {
  const want = pattern.split('/');
  const have = (path.length > 1 ? path.replace(/\/+$/, '') : path).split('/');
  if (want.length !== have.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}
