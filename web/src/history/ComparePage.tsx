import { useLocation } from 'wouter';
import type { Client } from '../api/client';
import type { StrategyTemplate } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ROUTES } from '../app/routes';
import { ComparePanel } from './ComparePanel';

/** /compare?a=ID&b=ID: two runs' equity curves, metrics, settings and parameters, and a diff of their code. */
export function ComparePage({ client, ids }: { client: Client; ids: [string, string] | null; templates: StrategyTemplate[] }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  return (
    <main className="page page-compare">
      {ids ? <ComparePanel client={client} ids={ids} onClose={() => navigate(ROUTES.history)} /> : <p className="empty">{t('compare.pick')}</p>}
    </main>
  );
}
