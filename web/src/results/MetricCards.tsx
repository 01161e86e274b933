import { useI18n } from '../i18n/i18n';
import { formatMetric, metricEntries, metricLabel, metricTone } from './metrics';

export interface MetricCardsProps {
  result: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
}

/** One card per number of the run: the contract's result first, then every metric the server sent. */
export function MetricCards({ result, metrics }: MetricCardsProps) {
  const { t, lang } = useI18n();
  const entries = metricEntries(result, metrics);
  if (entries.length === 0) return <p className="empty">{t('metrics.none')}</p>;
  return (
    <ul className="metric-cards" aria-label={t('tabs.metrics')} data-testid="metric-cards">
      {entries.map(({ key, value, group }) => {
        const tone = metricTone(key, value);
        const label = metricLabel(key, lang);
        return (
          <li
            key={`${group}.${key}`}
            className={`metric-card ${group}${tone ? ` ${tone}` : ''}`}
            data-metric={key}
            data-group={group}
            data-value={value == null ? '' : String(value)}
            title={key}
          >
            <span className="metric-label">{label}</span>
            <span className="metric-value">{formatMetric(key, value, lang)}</span>
          </li>
        );
      })}
    </ul>
  );
}
