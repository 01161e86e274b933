import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Field, describedBy } from './Field';
import { FILL_TIMINGS, INTRABARS, LEVERAGE_MAX, LEVERAGE_MIN, MARGIN_MODES, MARKETS, type TradingField, type TradingForm } from './trading';
import type { FieldError } from './validate';

export interface TradingSettingsProps {
  form: TradingForm & { feeRatePct: string };
  onChange(patch: Partial<TradingForm>): void;
  errors: Partial<Record<TradingField, FieldError>>;
}

/** Market, leverage and margin mode (futures), when orders fill, slippage, maker/taker fees and the intrabar path. */
export function TradingSettings({ form, onChange, errors }: TradingSettingsProps) {
  const { t } = useI18n();
  const futures = form.market === 'futures';

  const select = (id: string, field: 'market' | 'marginMode' | 'fill' | 'intrabar', choices: readonly string[], prefix: string) => (
    <select id={id} value={form[field]} onChange={(e) => onChange({ [field]: e.target.value })} aria-invalid={!!errors[field]} aria-describedby={describedBy(id, errors[field])}>
      {!choices.includes(form[field]) && <option value={form[field]}>{form[field]}</option>}
      {choices.map((c) => (
        <option key={c} value={c}>
          {t(`${prefix}.${c}` as MessageKey)}
        </option>
      ))}
    </select>
  );
  const pct = (id: string, field: 'slippagePct' | 'makerFeePct' | 'takerFeePct', placeholder?: string) => (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      step="any"
      value={form[field]}
      placeholder={placeholder}
      onChange={(e) => onChange({ [field]: e.target.value })}
      aria-invalid={!!errors[field]}
      aria-describedby={errors[field] ? `${id}-error` : placeholder ? 'cfg-fees-hint' : undefined}
    />
  );

  return (
    <fieldset className="trading-settings" data-testid="trading-settings">
      <legend>{t('trading.title')}</legend>
      <div className="row2">
        <Field id="cfg-market" label={t('trading.market')} error={errors.market}>
          {select('cfg-market', 'market', MARKETS, 'trading.market')}
        </Field>
        <Field id="cfg-fill" label={t('trading.fill')} error={errors.fill}>
          {select('cfg-fill', 'fill', FILL_TIMINGS, 'trading.fill')}
        </Field>
      </div>
      {futures && (
        <div className="row2">
          <Field id="cfg-leverage" label={t('trading.leverage')} error={errors.leverage}>
            <input
              id="cfg-leverage"
              type="number"
              inputMode="numeric"
              min={LEVERAGE_MIN}
              max={LEVERAGE_MAX}
              step={1}
              value={form.leverage}
              onChange={(e) => onChange({ leverage: e.target.value })}
              aria-invalid={!!errors.leverage}
              aria-describedby={describedBy('cfg-leverage', errors.leverage)}
            />
          </Field>
          <Field id="cfg-margin" label={t('trading.marginMode')} error={errors.marginMode}>
            {select('cfg-margin', 'marginMode', MARGIN_MODES, 'trading.marginMode')}
          </Field>
        </div>
      )}
      <div className="row2">
        <Field id="cfg-slippage" label={t('trading.slippage')} error={errors.slippagePct}>
          {pct('cfg-slippage', 'slippagePct')}
        </Field>
        <Field id="cfg-intrabar" label={t('trading.intrabar')} error={errors.intrabar}>
          {select('cfg-intrabar', 'intrabar', INTRABARS, 'trading.intrabar')}
        </Field>
      </div>
      <div className="row2">
        <Field id="cfg-maker" label={t('trading.makerFee')} error={errors.makerFeePct}>
          {pct('cfg-maker', 'makerFeePct', form.feeRatePct)}
        </Field>
        <Field id="cfg-taker" label={t('trading.takerFee')} error={errors.takerFeePct}>
          {pct('cfg-taker', 'takerFeePct', form.feeRatePct)}
        </Field>
      </div>
      <p className="field-hint fees-hint" id="cfg-fees-hint">
        {t('trading.feeHint')}
      </p>
    </fieldset>
  );
}
