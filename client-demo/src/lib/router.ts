import { signal } from '@preact/signals';

/**
 * Hash routing (`#/boards/3`): the server serves one page, and a reload keeps the screen.
 * `route.value` is the path after `#`, split into parts.
 */
export interface Route {
  path: string;
  parts: string[];
  query: URLSearchParams;
}

function current(): Route {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  return { path, parts: path.split('/').filter(Boolean), query: new URLSearchParams(search) };
}

export const route = signal<Route>(current());
window.addEventListener('hashchange', () => {
  route.value = current();
  window.scrollTo(0, 0);
});

export function go(path: string): void {
  if (location.hash !== `#${path}`) location.hash = path;
}
