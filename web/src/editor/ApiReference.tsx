import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { API_SECTIONS } from './strategyApi';

/** The strategy API (contract §3) in the page: every name, its signature and what it does. */
export function ApiReference({ onClose }: { onClose(): void }) {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    search.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const q = query.trim().toLowerCase();
  const sections = API_SECTIONS.map((s) => ({
    ...s,
    entries: s.entries.filter((e) => !q || e.name.toLowerCase().includes(q) || e.signature.toLowerCase().includes(q) || e.doc[lang].toLowerCase().includes(q)),
  })).filter((s) => s.entries.length > 0);

  return (
    <div className="drawer" role="dialog" aria-modal="true" aria-labelledby="api-ref-title" data-testid="api-reference">
      <header className="drawer-head">
        <h2 id="api-ref-title">{t('ref.title')}</h2>
        <button type="button" className="btn small" onClick={onClose}>
          {t('ref.close')}
        </button>
      </header>
      <p className="muted">{t('ref.intro')}</p>
      <input ref={search} type="search" className="search" placeholder={t('ref.search')} aria-label={t('ref.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="drawer-body">
        {sections.map((s) => (
          <section key={s.id} className="ref-section">
            <h3>{s.title[lang]}</h3>
            <dl>
              {s.entries.map((e) => (
                <div key={e.name} className="ref-entry">
                  <dt>
                    <code>{e.signature}</code>
                  </dt>
                  <dd>{e.doc[lang]}</dd>
                </div>
              ))}
            </dl>
            {s.example && !q && <pre className="ref-example">{s.example}</pre>}
          </section>
        ))}
      </div>
    </div>
  );
}
