import { useI18n } from '../i18n/i18n';

/** A column header that sorts its table: a button naming the column, the direction as aria-sort and ▲/▼. */
export function SortableHeader({ label, numeric, dir, onSort }: { label: string; numeric: boolean; dir: 'asc' | 'desc' | null; onSort(): void }) {
  const { t } = useI18n();
  return (
    <th className={numeric ? 'num' : ''} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
      <button type="button" onClick={onSort} aria-label={t('trades.sortBy', { column: label })}>
        {label}
        <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}</span>
      </button>
    </th>
  );
}
