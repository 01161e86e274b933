// The page's routes (wouter, browser history). The server answers each prefix with index.html
// (CandleboxServer.WEB_ROUTES), so a deep link or a reload opens the same page.
export const ROUTES = {
  workspace: '/',
  run: '/runs/:id',
  history: '/history',
  compare: '/compare',
  apiDocs: '/http-api',
} as const;

export const runPath = (id: string) => `/runs/${encodeURIComponent(id)}`;

export const comparePath = (a: string, b: string) => `/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;

/** The two run ids of a compare page's query, or null when one is missing. */
export function compareIds(search: string): [string, string] | null {
  const q = new URLSearchParams(search);
  const a = q.get('a');
  const b = q.get('b');
  return a && b ? [a, b] : null;
}
