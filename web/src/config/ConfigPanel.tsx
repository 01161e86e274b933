import { useI18n } from '../i18n/i18n';
import type { ConfigForm, FormErrors } from './validate';
import { Field, describedBy } from './Field';
import { TradingSettings } from './TradingSettings';
import { formatUtc, fromInputValue, presetRange, toInputValue, type Preset } from './time';
import { intervalMs } from '../chart/interval';

/** First and last open time of the chosen series, or why there is none. */
export type SeriesBounds = { state: 'loading' } | { state: 'ok'; first: number; last: number } | { state: 'error'; message: string; intervalsWithData: string[] | null };

export interface ConfigPanelProps {
  form: ConfigForm;
  onChange(patch: Partial<ConfigForm>): void;
  errors: FormErrors;
  symbols: string[];
  intervals: string[];
  bounds: SeriesBounds | null;
  disabled: boolean;
}

/** Symbol, interval, time range (calendar + presets), balance, fee, trading settings, kline window and the params JSON. */
export function ConfigPanel({ form, onChange, errors, symbols, intervals, bounds, disabled }: ConfigPanelProps) {
  const { t } = useI18n();
  const ok = bounds?.state === 'ok' ? bounds : null;
  const withData = bounds?.state === 'error' ? bounds.intervalsWithData : null;

  const applyPreset = (preset: Preset) => {
    if (!ok) return;
    const r = presetRange(preset, ok);
    onChange({ start: toInputValue(r.start), end: toInputValue(r.end) });
  };

  let estimate: number | null = null;
  if (ok && form.interval) {
    const s = form.start ? fromInputValue(form.start) : ok.first;
    const e = form.end ? fromInputValue(form.end) : ok.last;
    try {
      if (!Number.isNaN(s) && !Number.isNaN(e) && e >= s) estimate = Math.floor((Math.min(e, ok.last) - Math.max(s, ok.first)) / intervalMs(form.interval)) + 1;
    } catch {
      estimate = null;
    }
  }

  return (
    <form className="config-panel" aria-label={t('config.title')} onSubmit={(e) => e.preventDefault()}>
      <fieldset disabled={disabled}>
        <legend>{t('config.title')}</legend>
        <div className="row2">
          <Field id="cfg-symbol" label={t('config.symbol')} error={errors.symbol}>
            <select id="cfg-symbol" value={form.symbol} onChange={(e) => onChange({ symbol: e.target.value })} aria-invalid={!!errors.symbol} aria-describedby={describedBy('cfg-symbol', errors.symbol)}>
              {symbols.length === 0 && <option value="">{t('config.noData')}</option>}
              {form.symbol && !symbols.includes(form.symbol) && <option value={form.symbol}>{form.symbol}</option>}
              {symbols.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          <Field id="cfg-interval" label={t('config.interval')} error={errors.interval}>
            <select id="cfg-interval" value={form.interval} onChange={(e) => onChange({ interval: e.target.value })} aria-invalid={!!errors.interval}>
              {intervals.map((i) => (
                <option key={i} value={i}>
                  {withData && !withData.includes(i) ? `${i} · ${t('config.noData')}` : i}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <p className={`series-info${bounds?.state === 'error' ? ' warn' : ''}`} data-testid="series-info" aria-live="polite">
          {bounds?.state === 'loading' && '…'}
          {ok && t('config.dataRange', { from: formatUtc(ok.first), to: formatUtc(ok.last) })}
          {bounds?.state === 'error' && bounds.message}
        </p>

        <div className="row-dates">
          <Field id="cfg-start" label={t('config.start')} error={errors.start}>
            <input id="cfg-start" type="datetime-local" step={60} value={form.start} min={ok ? toInputValue(ok.first) : undefined} max={ok ? toInputValue(ok.last) : undefined} onChange={(e) => onChange({ start: e.target.value })} aria-invalid={!!errors.start} aria-describedby={describedBy('cfg-start', errors.start)} />
          </Field>
          <Field id="cfg-end" label={t('config.end')} error={errors.end}>
            <input id="cfg-end" type="datetime-local" step={60} value={form.end} min={ok ? toInputValue(ok.first) : undefined} max={ok ? toInputValue(ok.last) : undefined} onChange={(e) => onChange({ end: e.target.value })} aria-invalid={!!errors.end} aria-describedby={describedBy('cfg-end', errors.end)} />
          </Field>
        </div>
        <div className="presets" role="group" aria-label={t('config.presets')}>
          <button type="button" className="chip" disabled={!ok} onClick={() => applyPreset('30d')}>
            {t('config.preset30d')}
          </button>
          <button type="button" className="chip" disabled={!ok} onClick={() => applyPreset('1y')}>
            {t('config.preset1y')}
          </button>
          <button type="button" className="chip" disabled={!ok} onClick={() => applyPreset('all')}>
            {t('config.presetAll')}
          </button>
          {estimate != null && <span className="muted estimate">{t('config.estimate', { count: estimate.toLocaleString() })}</span>}
        </div>

        <div className="row2">
          <Field id="cfg-balance" label={t('config.initialBalance')} error={errors.initialBalance}>
            <input id="cfg-balance" type="number" inputMode="decimal" min={0} step="any" value={form.initialBalance} onChange={(e) => onChange({ initialBalance: e.target.value })} aria-invalid={!!errors.initialBalance} aria-describedby={describedBy('cfg-balance', errors.initialBalance)} />
          </Field>
          <Field id="cfg-fee" label={t('config.feeRate')} error={errors.feeRatePct}>
            <input id="cfg-fee" type="number" inputMode="decimal" min={0} max={10} step="any" value={form.feeRatePct} onChange={(e) => onChange({ feeRatePct: e.target.value })} aria-invalid={!!errors.feeRatePct} aria-describedby={describedBy('cfg-fee', errors.feeRatePct)} />
          </Field>
        </div>
        <TradingSettings form={form} onChange={onChange} errors={errors} />
        <Field id="cfg-wnd" label={t('config.klineWndSize')} error={errors.klineWndSize}>
          <input id="cfg-wnd" type="number" inputMode="numeric" min={1} step={1} value={form.klineWndSize} onChange={(e) => onChange({ klineWndSize: e.target.value })} aria-invalid={!!errors.klineWndSize} aria-describedby={describedBy('cfg-wnd', errors.klineWndSize)} />
        </Field>
        <Field id="cfg-params" label={t('config.params')} error={errors.paramsJson} hint={t('config.paramsHint')}>
          <textarea
            id="cfg-params"
            className="params-json"
            spellCheck={false}
            rows={7}
            value={form.paramsJson}
            onChange={(e) => onChange({ paramsJson: e.target.value })}
            aria-invalid={!!errors.paramsJson}
            aria-describedby={describedBy('cfg-params', errors.paramsJson, true)}
          />
        </Field>
      </fieldset>
    </form>
  );
}
