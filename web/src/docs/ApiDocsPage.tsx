import { useMemo } from 'react';
import readme from '../../../README.md?raw';
import { useI18n } from '../i18n/i18n';
import { apiDocsHtml } from './apiDocs';

/** /http-api: the server's HTTP API as the README documents it (loaded only when opened). */
export default function ApiDocsPage() {
  const { t } = useI18n();
  const html = useMemo(() => apiDocsHtml(readme), []);
  return (
    <main className="page page-docs">
      <article className="api-docs" aria-label={t('nav.apiDocs')} data-testid="api-docs">
        <p className="muted">{t('docs.intro')}</p>
        {/* the README is the project's own text, built into the page */}
        <div dangerouslySetInnerHTML={{ __html: html }} />
      </article>
    </main>
  );
}
