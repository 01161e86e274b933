import type { Trade } from '../api/types';

const COLUMNS = ['timestamp', 'type', 'price', 'amount', 'value', 'fee', 'balance', 'reason', 'slippage'] as const;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(v: unknown): string {
  const s = v == null ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  // a leading = + - @ would make a spreadsheet run it as a formula
  const safe = /^[=+@]/.test(s) || (/^-/.test(s) && typeof v !== 'number') ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The trade list as CSV, full precision, in the order given; value = price × amount; reason and slippage empty for runs made before contract §6. */
export function tradesToCsv(trades: readonly Trade[]): string {
  const lines = [COLUMNS.join(',')];
  for (const t of trades) {
    lines.push([t.timestamp, t.type, t.price, t.amount, t.price * t.amount, t.fee, t.balance, t.reason, t.slippage].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Saves text as a file through a temporary link (no server round trip). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
