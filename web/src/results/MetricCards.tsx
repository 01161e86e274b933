import { useI18n } from '../i18n/i18n';
import { formatMetric, isCardShown, metricEntries, metricLabel, metricTone } from './metrics';

export interface MetricCardsProps {
  result: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  /** The run's other blocks of numbers (dataQuality, reproducibility). */
  extra?: Record<string, Record<string, unknown> | null | undefined>;
}

// the run's other blocks are known by "block.key"
const qualify = (group: string, key: string) => (group === 'result' || group === 'metrics' ? key : `${group}.${key}`);

/**
 * One card per number of the run: the contract's result first, then every metric the server sent (futures
 * fields for futures runs only); a sentence under them when klines were ambiguous or a futures run had no
 * funding data.
 */
export function MetricCards({ result, metrics, extra }: MetricCardsProps) {
  const { t, lang } = useI18n();
  const entries = metricEntries(result, metrics, extra).filter((e) => isCardShown(qualify(e.group, e.key), e.value, result?.market));
  if (entries.length === 0) return <p className="empty">{t('metrics.none')}</p>;
  const quality = extra?.dataQuality;
  const ambiguous = quality?.ambiguousKlines;
  const noFunding = result?.market === 'futures' && quality != null && (typeof quality.funding === 'string' || (quality.fundingTimes === 0 && !quality.fundingSkipped));
  return (
    <>
      <ul className="metric-cards" aria-label={t('tabs.metrics')} data-testid="metric-cards">
        {entries.map(({ key, value, group }) => {
          const qualified = qualify(group, key);
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
      {typeof ambiguous === 'number' && ambiguous > 0 && (
        <p className="quality-note" data-testid="ambiguous-note">
          {t('quality.ambiguous', { count: ambiguous.toLocaleString() })}
        </p>
      )}
      {noFunding && (
        <p className="quality-note" data-testid="funding-none" title={typeof quality.funding === 'string' ? quality.funding : undefined}>
          {t('funding.none')}
        </p>
      )}
    </>
  );
}
