// The HTTP API page's text: the README's own "Kline API" and "Backtest API" sections (the one place the API
// is written down, so the page never drifts from it), rendered by marked.
import { marked } from 'marked';

/** The sections of a markdown text under the given level-2 headings, in the text's order. */
export function sections(markdown: string, titles: string[]): string {
  const parts = markdown.split(/^(?=## )/m);
  return parts.filter((p) => titles.some((t) => p.startsWith(`## ${t}\n`) || p.startsWith(`## ${t}\r\n`))).join('\n');
}

/** Links to the repository's own files lead nowhere from the page: they become their text (the path named in code). */
export function unlinkRelative(markdown: string): string {
  return markdown.replace(/\[([^\]]+)\]\((?!https?:|#)([^)]+)\)/g, (_m, text: string, href: string) => (text === href ? `\`${text}\`` : `${text} (\`${href}\`)`));
}

export function apiDocsHtml(readme: string): string {
  return marked.parse(unlinkRelative(sections(readme, ['Kline API', 'Backtest API'])), { async: false }) as string;
}
