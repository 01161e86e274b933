import { useMemo } from 'react';
import { diffLines } from 'diff';
import { useI18n } from '../i18n/i18n';

export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
  /** Line numbers in A and B (null where the line is not in that side). */
  a: number | null;
  b: number | null;
}

/** Two codes line by line (jsdiff's diffLines): each line kept, removed from A or added in B, with its numbers. */
export function codeDiff(a: string, b: string): DiffLine[] {
  const out: DiffLine[] = [];
  let na = 1;
  let nb = 1;
  for (const part of diffLines(a, b)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (part.added) out.push({ kind: 'added', text, a: null, b: nb++ });
      else if (part.removed) out.push({ kind: 'removed', text, a: na++, b: null });
      else out.push({ kind: 'same', text, a: na++, b: nb++ });
    }
  }
  return out;
}

/** Lines of unchanged code kept around each change; longer unchanged stretches fold. */
const CONTEXT = 3;

export function CodeDiff({ a, b }: { a: string; b: string }) {
  const { t } = useI18n();
  const lines = useMemo(() => codeDiff(a, b), [a, b]);
  const changed = lines.filter((l) => l.kind !== 'same').length;
  if (changed === 0) return <p className="muted" data-testid="code-diff" data-changed="0">{t('compare.sameCode')}</p>;
  const near = lines.map((_, i) => lines.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((l) => l.kind !== 'same'));
  const rows: (DiffLine | { fold: number })[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (near[i]) rows.push(lines[i]);
    else {
      let j = i;
      while (j < lines.length && !near[j]) j++;
      rows.push({ fold: j - i });
      i = j - 1;
    }
  }
  return (
    <pre className="code-diff" data-testid="code-diff" data-changed={changed}>
      {rows.map((r, i) =>
        'fold' in r ? (
          <div key={i} className="diff-fold muted">
            {t('compare.folded', { count: r.fold })}
          </div>
        ) : (
          <div key={i} className={`diff-line ${r.kind}`} data-kind={r.kind}>
            <span className="diff-no">{r.a ?? ''}</span>
            <span className="diff-no">{r.b ?? ''}</span>
            <span className="diff-mark">{r.kind === 'added' ? '+' : r.kind === 'removed' ? '−' : ' '}</span>
            {r.text}
          </div>
        ),
      )}
    </pre>
  );
}
