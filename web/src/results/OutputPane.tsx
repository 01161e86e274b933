import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';

/** What the strategy printed, like a terminal: monospace, follows the end unless the user scrolled up. */
export function OutputPane({ logs, onClear }: { logs: string; onClear(): void }) {
  const { t } = useI18n();
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [logs]);
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
        {logs || <span className="muted">{t('output.none')}</span>}
      </pre>
    </div>
  );
}
