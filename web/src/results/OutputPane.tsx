import { useEffect, useRef } from 'react';
import type { RunError } from '../api/types';
import { useI18n } from '../i18n/i18n';

/**
 * What the strategy printed, like a terminal: monospace, follows the end unless the user scrolled up. A failed
 * run's traceback (or its error when there is none) follows the printed text.
 */
export function OutputPane({ logs, error, onClear }: { logs: string; error?: RunError | null; onClear(): void }) {
  const { t } = useI18n();
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [logs, error]);
  const errorText = error ? (error.traceback?.trim() ? error.traceback.trimEnd() : `${error.type ? error.type + ': ' : ''}${error.message}`) : '';
  return (
    <div className="output-pane">
      <div className="toolbar">
        <span className="muted">{t('output.label')}</span>
        <button type="button" className="btn small" onClick={onClear} disabled={!logs}>
          {t('output.clear')}
        </button>
      </div>
      <pre
        ref={pre}
        className="terminal"
        tabIndex={0}
        aria-label={t('output.label')}
        data-testid="output"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {logs || (!errorText && <span className="muted">{t('output.none')}</span>)}
        {errorText && (
          <span className="traceback" data-testid="traceback">
            {logs && !logs.endsWith('\n') ? '\n' : ''}
            {errorText}
          </span>
        )}
      </pre>
    </div>
  );
}
