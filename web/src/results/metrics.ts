import type { Lang } from '../editor/strategyApi';

export type MetricFormat = 'money' | 'signedMoney' | 'pct' | 'signedPct' | 'ratio' | 'int' | 'base' | 'hours' | 'number' | 'text';

interface MetricInfo {
  en: string;
  zh: string;
  format: MetricFormat;
  /** Tinted green when positive and red when negative. */
  signed?: boolean;
  /** Which way is better, for colouring a difference between two runs. */
  better?: 'higher' | 'lower';
}

/** Known result and metric names; anything else is shown under its own name. */
export const METRIC_INFO: Record<string, MetricInfo> = {
  initialBalance: { en: 'Initial balance', zh: '初始资金', format: 'money' },
  finalBalance: { en: 'Final equity', zh: '最终权益', format: 'money', better: 'higher' },
  profit: { en: 'Profit', zh: '收益', format: 'signedMoney', signed: true, better: 'higher' },
  profitRate: { en: 'Return', zh: '收益率', format: 'signedPct', signed: true, better: 'higher' },
  maxDrawdown: { en: 'Max drawdown', zh: '最大回撤', format: 'pct', better: 'lower' },
  totalTrades: { en: 'Fills', zh: '成交次数', format: 'int' },
  winRate: { en: 'Win rate', zh: '胜率', format: 'pct', better: 'higher' },
  baseAsset: { en: 'Position left', zh: '剩余持仓', format: 'base' },
  quoteAsset: { en: 'Cash left', zh: '剩余余额', format: 'money' },
  baseFee: { en: 'Fees (base)', zh: '手续费（基础资产）', format: 'base', better: 'lower' },
  quoteFee: { en: 'Fees (quote)', zh: '手续费（计价资产）', format: 'money', better: 'lower' },
  market: { en: 'Market', zh: '市场', format: 'text' },
  leverage: { en: 'Leverage', zh: '杠杆', format: 'number' },
  marginMode: { en: 'Margin mode', zh: '保证金模式', format: 'text' },
  fundingPaid: { en: 'Funding paid', zh: '已付资金费', format: 'signedMoney', better: 'lower' },
  liquidations: { en: 'Liquidations', zh: '强平次数', format: 'int', better: 'lower' },
  cagr: { en: 'CAGR', zh: '年化收益率', format: 'signedPct', signed: true, better: 'higher' },
  volatility: { en: 'Volatility (ann.)', zh: '年化波动率', format: 'pct', better: 'lower' },
  sharpe: { en: 'Sharpe', zh: '夏普比率', format: 'ratio', signed: true, better: 'higher' },
  sortino: { en: 'Sortino', zh: '索提诺比率', format: 'ratio', signed: true, better: 'higher' },
  calmar: { en: 'Calmar', zh: '卡玛比率', format: 'ratio', signed: true, better: 'higher' },
  profitFactor: { en: 'Profit factor', zh: '盈亏比', format: 'ratio', better: 'higher' },
  expectancy: { en: 'Expectancy', zh: '期望收益', format: 'signedMoney', signed: true, better: 'higher' },
  roundTrips: { en: 'Round trips', zh: '完整交易', format: 'int' },
  avgHoldingHours: { en: 'Avg holding', zh: '平均持仓时长', format: 'hours' },
  maxHoldingHours: { en: 'Longest holding', zh: '最长持仓时长', format: 'hours' },
  exposure: { en: 'Exposure', zh: '持仓时间占比', format: 'pct' },
  maxConsecutiveLosses: { en: 'Max losing streak', zh: '最大连续亏损', format: 'int', better: 'lower' },
  maxDrawdownDuration: { en: 'Max drawdown duration', zh: '最长回撤期', format: 'number', better: 'lower' },
  maxDrawdownDurationHours: { en: 'Max drawdown duration', zh: '最长回撤期', format: 'hours', better: 'lower' },
  buyAndHoldReturn: { en: 'Buy & hold return', zh: '买入持有收益率', format: 'signedPct', signed: true },
  totalFees: { en: 'Total fees', zh: '总手续费', format: 'money', better: 'lower' },
  totalReturn: { en: 'Total return', zh: '总收益率', format: 'signedPct', signed: true, better: 'higher' },
  longestHoldingHours: { en: 'Longest holding', zh: '最长持仓时长', format: 'hours' },
  'dataQuality.klinesUsed': { en: 'Klines used', zh: '使用K线数', format: 'int' },
  'dataQuality.gaps': { en: 'Gaps in range', zh: '数据缺口', format: 'int', better: 'lower' },
  'dataQuality.missingKlines': { en: 'Missing klines', zh: '缺失K线数', format: 'int', better: 'lower' },
  'dataQuality.firstOpenTime': { en: 'First kline', zh: '首根K线', format: 'text' },
  'dataQuality.lastOpenTime': { en: 'Last kline', zh: '末根K线', format: 'text' },
  'dataQuality.ambiguousKlines': { en: 'Ambiguous klines', zh: '止损止盈同K线', format: 'int' },
  'dataQuality.droppedOrders': { en: 'Dropped orders', zh: '被丢弃的订单', format: 'int', better: 'lower' },
  'dataQuality.fundingTimes': { en: 'Funding times', zh: '资金费结算次数', format: 'int' },
  'dataQuality.fundingSkipped': { en: 'Funding times skipped', zh: '跳过的资金费结算', format: 'int', better: 'lower' },
  'reproducibility.codeSha256': { en: 'Code SHA-256', zh: '代码 SHA-256', format: 'text' },
  'reproducibility.klinesSha256': { en: 'Klines SHA-256', zh: 'K线 SHA-256', format: 'text' },
  'reproducibility.klines': { en: 'Klines hashed', zh: '参与哈希的K线数', format: 'int' },
  'reproducibility.engineVersion': { en: 'Engine', zh: '引擎版本', format: 'text' },
};

/** The result fields shown first, in this order (contract §4, then §6's futures fields). */
export const RESULT_ORDER = [
  'profitRate', 'profit', 'finalBalance', 'maxDrawdown', 'winRate', 'totalTrades',
  'fundingPaid', 'liquidations', 'market', 'leverage', 'marginMode',
  'initialBalance', 'quoteAsset', 'baseAsset', 'quoteFee', 'baseFee',
];

/** Cards that mean something only for futures runs (a spot run's leverage is 1 and it pays no funding). */
const FUTURES_ONLY = ['leverage', 'marginMode', 'fundingPaid', 'liquidations', 'dataQuality.fundingTimes', 'dataQuality.fundingSkipped'];

/**
 * Whether a run's card is shown: the futures fields for futures runs only, and the ambiguous-kline count
 * only when there were any (it comes with a sentence saying what happened). The server's sentence for a
 * futures run without funding data is shown as a sentence too, not as a card.
 */
export function isCardShown(qualifiedKey: string, value: unknown, market: unknown): boolean {
  if (FUTURES_ONLY.includes(qualifiedKey) && market !== 'futures') return false;
  if (qualifiedKey === 'dataQuality.funding') return false;
  if (qualifiedKey === 'dataQuality.ambiguousKlines') return typeof value === 'number' && value > 0;
  return true;
}

/** "maxConsecutiveLosses" → "Max consecutive losses"; "dataQuality.gaps" → "Data quality · gaps". */
export function humanize(key: string): string {
  return key
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase())
    .map((part, i) => (i === 0 ? part.charAt(0).toUpperCase() + part.slice(1) : part))
    .join(' · ');
}

export function metricLabel(key: string, lang: Lang): string {
  const info = METRIC_INFO[key];
  return info ? info[lang] : humanize(key);
}

export function metricFormat(key: string, value: unknown): MetricFormat {
  if (typeof value !== 'number') return 'text';
  const info = METRIC_INFO[key];
  if (info) return info.format;
  if (/Hours$/.test(key)) return 'hours';
  if (/(Rate|Return|Ratio|Pct)$/.test(key)) return 'pct';
  if (/^(count|num)|Count$|Trades$/.test(key) && Number.isInteger(value)) return 'int';
  return 'number';
}

const fmt = (lang: Lang, opts: Intl.NumberFormatOptions) => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', opts);

/** A metric as shown on its card. */
export function formatMetric(key: string, value: unknown, lang: Lang): string {
  if (value == null) return '—';
  // a hash is recognisable by its first characters; the card's title holds the whole of it
  if (typeof value === 'string' && /^[0-9a-f]{32,}$/i.test(value)) return value.slice(0, 12) + '…';
  if (typeof value !== 'number') return String(value);
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const sign = value > 0 ? '+' : '';
  switch (metricFormat(key, value)) {
    case 'money':
      return fmt(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    case 'signedMoney':
      return sign + fmt(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    case 'pct':
      return fmt(lang, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    case 'signedPct':
      return sign + fmt(lang, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    case 'ratio':
      return fmt(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    case 'int':
      return fmt(lang, { maximumFractionDigits: 0 }).format(value);
    case 'base':
      return fmt(lang, { maximumFractionDigits: 8 }).format(value);
    case 'hours':
      return `${fmt(lang, { maximumFractionDigits: 1 }).format(value)} h`;
    default:
      return fmt(lang, { maximumFractionDigits: Math.abs(value) >= 100 ? 2 : 4 }).format(value);
  }
}

/** Tone of a difference B − A between two runs: 'up' when B is better, 'down' when worse, null when it is a matter of taste. */
export function diffTone(key: string, diff: number | null): 'up' | 'down' | null {
  const better = METRIC_INFO[key]?.better;
  if (diff == null || diff === 0 || Number.isNaN(diff) || !better) return null;
  return (diff > 0) === (better === 'higher') ? 'up' : 'down';
}

/** Tone of a value: 'up' (green), 'down' (red) or neutral. */
export function metricTone(key: string, value: unknown): 'up' | 'down' | null {
  if (typeof value !== 'number' || !METRIC_INFO[key]?.signed || value === 0 || Number.isNaN(value)) return null;
  return value > 0 ? 'up' : 'down';
}

export interface MetricEntry {
  /** The key inside its group; nested blocks as "block.key". */
  key: string;
  value: unknown;
  /** 'result' (contract §4), 'metrics', or another block of the run ('dataQuality', 'reproducibility'). */
  group: string;
}

type Block = Record<string, unknown> | null | undefined;

/**
 * Every number of a run as cards: the contract's result fields first, then every key of `metrics`
 * (nested blocks flattened to "block.key"), known ones in a stable order, unknown ones by name,
 * then the run's other blocks (`extra`: data quality, reproducibility) the same way.
 */
export function metricEntries(result: Block, metrics: Block, extra: Record<string, Block> = {}): MetricEntry[] {
  const out: MetricEntry[] = [];
  if (result) {
    const keys = Object.keys(result).filter((k) => k !== 'trades' && k !== 'equityCurve' && isShown(result[k]));
    keys.sort((a, b) => rank(a) - rank(b));
    for (const key of keys) out.push({ key, value: result[key], group: 'result' });
  }
  for (const [group, block] of [['metrics', metrics] as const, ...Object.entries(extra)]) {
    if (!block) continue;
    const flat: [string, unknown][] = [];
    // the run's other blocks are shown one level deep (reproducibility's copy of the parameters is left out)
    const walk = (obj: Record<string, unknown>, prefix: string, flatOnly = false) => {
      for (const [k, v] of Object.entries(obj)) {
        const key = prefix + k;
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          if (!flatOnly) walk(v as Record<string, unknown>, key + '.');
        } else if (group === 'metrics' && result && sameNumber(result[key], v)) continue; // already a result card
        else if (isShown(v) || v === null) flat.push([key, v]);
      }
    };
    walk(block, '', group !== 'metrics');
    const known = Object.keys(METRIC_INFO);
    flat.sort(([a], [b]) => {
      const ia = known.indexOf(a);
      const ib = known.indexOf(b);
      return (ia < 0 ? 1e6 : ia) - (ib < 0 ? 1e6 : ib);
    });
    for (const [key, value] of flat) out.push({ key, value, group });
  }
  return out;
}

function rank(key: string): number {
  const i = RESULT_ORDER.indexOf(key);
  return i < 0 ? RESULT_ORDER.length : i;
}

function sameNumber(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
}

function isShown(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}
