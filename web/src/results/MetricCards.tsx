import { useI18n } from '../i18n/i18n';
import { formatMetric, metricEntries, metricLabel, metricTone } from './metrics';

export interface MetricCardsProps {
  result: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  /** The run's other blocks of numbers (dataQuality, reproducibility). */
  extra?: Record<string, Record<string, unknown> | null | undefined>;
}

/** One card per number of the run: the contract's result first, then every metric the server sent. */
export function MetricCards({ result, metrics, extra }: MetricCardsProps) {
  const { t, lang } = useI18n();
  const entries = metricEntries(result, metrics, extra);
  if (entries.length === 0) return <p className="empty">{t('metrics.none')}</p>;
  return (
    <ul className="metric-cards" aria-label={t('tabs.metrics')} data-testid="metric-cards">
      {entries.map(({ key, value, group }) => {
        // the run's other blocks are known by "block.key"
        const qualified = group === 'result' || group === 'metrics' ? key : `${group}.${key}`;
        const tone = metricTone(qualified, value);
        const label = metricLabel(qualified, lang);
        return (
          <li
            key={`${group}.${key}`}
            className={`metric-card ${group === 'result' ? 'result' : 'metrics'}${tone ? ` ${tone}` : ''}`}
            data-metric={key}
            data-group={group}
            data-value={value == null ? '' : String(value)}
            title={typeof value === 'string' ? `${key}: ${value}` : key}
          >
            <span className="metric-label">{label}</span>
            <span className="metric-value">{formatMetric(qualified, value, lang)}</span>
          </li>
        );
      })}
    </ul>
  );
}
