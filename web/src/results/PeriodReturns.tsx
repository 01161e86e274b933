import type { PeriodReturn } from '../api/types';
import { useI18n } from '../i18n/i18n';

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

export interface ReturnsGrid {
  years: { year: string; months: (number | null | undefined)[]; total: number | null | undefined }[];
}

/** Rows by year, a column per month (undefined: no kline that month), the year's return last. */
export function returnsGrid(periods: { months: PeriodReturn[]; years: PeriodReturn[] }): ReturnsGrid {
  const years = periods.years.map((y) => ({
    year: y.period,
    months: MONTHS.map((m) => periods.months.find((p) => p.period === `${y.period}-${m}`)?.return),
    total: y.return,
  }));
  return { years };
}

const cell = (v: number | null | undefined) => (v == null ? '' : `${(v * 100).toFixed(2)}%`);
const tone = (v: number | null | undefined) => (v == null ? '' : v > 0 ? 'up' : v < 0 ? 'down' : '');

/** Monthly and yearly returns (the server's, from the whole equity curve), as a year × month table. */
export function PeriodReturnsTable({ periods }: { periods: { months: PeriodReturn[]; years: PeriodReturn[] } | null }) {
  const { t, lang } = useI18n();
  if (!periods) return <p className="empty">{t('returns.none')}</p>;
  const grid = returnsGrid(periods);
  const monthName = (m: number) => new Date(Date.UTC(2024, m, 1)).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { month: 'short', timeZone: 'UTC' });
  return (
    <div className="table-scroll returns">
      <table className="returns-table" data-testid="returns-table">
        <thead>
          <tr>
            <th>{t('returns.year')}</th>
            {MONTHS.map((m, i) => (
              <th key={m} className="num">
                {monthName(i)}
              </th>
            ))}
            <th className="num">{t('returns.total')}</th>
          </tr>
        </thead>
        <tbody>
          {grid.years.map((y) => (
            <tr key={y.year} data-year={y.year}>
              <th scope="row">{y.year}</th>
              {y.months.map((v, i) => (
                <td key={i} className={`num ${tone(v)}`} data-month={`${y.year}-${MONTHS[i]}`} data-value={v ?? ''}>
                  {cell(v)}
                </td>
              ))}
              <td className={`num total ${tone(y.total)}`} data-value={y.total ?? ''}>
                {cell(y.total)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('returns.hint')}</p>
    </div>
  );
}
