// What tells runs apart in the history and in compare: the name (the server's, by default the strategy's
// docstring title or class name), the template it came from, the parameters that differ from that template's
// defaults, and a short hash of the code.
import type { RunSummary, StrategyTemplate, StrategyParams } from '../api/types';
import { templateParams } from '../editor/templates';

/** The first line of a module docstring, as the server takes a default name. */
export function docTitle(code: string): string | null {
  const m = /^\s*(?:#[^\n]*\n\s*)*("""|''')\s*([^\n]*?)\s*(?:\n|"""|''')/.exec(code);
  return m && m[2].trim() ? m[2].trim() : null;
}

/** The template a run was made from, by its name: the template's title, or its docstring's first line. */
export function templateOf(name: string | undefined, templates: StrategyTemplate[]): StrategyTemplate | null {
  if (!name) return null;
  return templates.find((t) => t.name === name || docTitle(t.code) === name) ?? null;
}

export interface ParamChange {
  key: string;
  value: unknown;
  /** The template's default; undefined when it has none (or no template is known). */
  default?: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The parameters that differ from the template's documented defaults (`klineWndSize` included), in the
 * run's order; without a template every parameter is listed.
 */
export function changedParams(params: StrategyParams | undefined, template: StrategyTemplate | null): ParamChange[] {
  const out: ParamChange[] = [];
  if (!params) return out;
  const defaults: Record<string, unknown> = {};
  if (template) {
    const d = templateParams(template.code);
    Object.assign(defaults, d.params);
    if (d.klineWndSize != null) defaults.klineWndSize = d.klineWndSize;
  }
  for (const [key, value] of Object.entries(params)) {
    if (template && key in defaults && same(defaults[key], value)) continue;
    out.push(key in defaults ? { key, value, default: defaults[key] } : { key, value });
  }
  return out;
}

export function formatParam(c: ParamChange): string {
  return `${c.key}=${JSON.stringify(c.value)}`;
}

/** The first 8 hex digits of the code's SHA-256 (the run's reproducibility block). */
export function codeHash(run: Pick<RunSummary, 'reproducibility'>): string | null {
  const h = run.reproducibility?.codeSha256;
  return typeof h === 'string' ? h.slice(0, 8) : null;
}

/** Tags typed as "trend, btc 1h": split at commas, trimmed, empty and repeated ones dropped. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const t = raw.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Both runs' parameters side by side: every key of either, with a flag where they differ. */
export function paramRows(a: StrategyParams | undefined, b: StrategyParams | undefined): { key: string; a: unknown; b: unknown; differs: boolean }[] {
  const keys: string[] = [];
  for (const k of [...Object.keys(a ?? {}), ...Object.keys(b ?? {})]) if (!keys.includes(k)) keys.push(k);
  return keys.map((key) => {
    const va = a?.[key];
    const vb = b?.[key];
    return { key, a: va, b: vb, differs: !same(va, vb) };
  });
}
