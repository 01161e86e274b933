// The strategy API (contract §3) as the editor knows it: the source of completions and of the
// in-app reference. Written for this app from the contract; keep it in step with the sandbox.

export type Lang = 'en' | 'zh';
type Text = Record<Lang, string>;

export interface ApiEntry {
  name: string;
  kind: 'class' | 'function' | 'property' | 'method' | 'constant';
  /** How it is called or what it holds, e.g. `buy(price, amount, timestamp) -> bool`. */
  signature: string;
  doc: Text;
}

export interface ApiSection {
  id: string;
  title: Text;
  /** Expressions whose members these entries are (`context`, `kline` ...); none for globals. */
  receivers: string[];
  entries: ApiEntry[];
  example?: string;
}

const t = (en: string, zh: string): Text => ({ en, zh });

export const API_SECTIONS: ApiSection[] = [
  {
    id: 'strategy',
    title: t('Strategy (IStrategy)', '策略（IStrategy）'),
    receivers: ['self'],
    entries: [
      { name: 'run', kind: 'method', signature: 'run(self, context, kline, params)', doc: t('Called once per kline, after the kline was appended to self.kline_cache. params is strategyParams.', '每根K线调用一次；调用前当前K线已加入 self.kline_cache。params 即 strategyParams。') },
      { name: 'kline_cache', kind: 'property', signature: 'self.kline_cache: KlineCache', doc: t('The last klineWndSize klines (default 50), current one included.', '最近 klineWndSize 根K线（默认 50），包含当前K线。') },
      { name: 'name', kind: 'property', signature: 'self.name: str', doc: t('The strategy class name.', '策略类名。') },
      { name: 'initialize', kind: 'method', signature: 'initialize(self, kline_wnd_size=50)', doc: t('Creates the kline cache; called by the engine before the first kline.', '创建K线缓存；引擎在第一根K线前调用。') },
      { name: 'on_trade', kind: 'method', signature: 'on_trade(self, trade)', doc: t('Called after each fill with {timestamp, type, price, amount, balance, fee}.', '每次成交后调用，参数为 {timestamp, type, price, amount, balance, fee}。') },
      { name: 'on_day_end', kind: 'method', signature: 'on_day_end(self, date, context)', doc: t('Called when a UTC day ends, and after the last kline.', '每个 UTC 日结束时及最后一根K线之后调用。') },
    ],
    example: 'class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        closes = self.kline_cache.get_closes()',
  },
  {
    id: 'context',
    title: t('Account (BacktestContext)', '账户（BacktestContext）'),
    receivers: ['context', 'ctx'],
    entries: [
      { name: 'buy', kind: 'method', signature: 'buy(price, amount, timestamp) -> bool', doc: t('Buys amount of the base asset. Costs price*amount plus a fee of price*amount*fee_rate. Refused (False) when the balance cannot cover it, or the price is outside the kline\'s [low, high].', '买入 amount 数量的基础资产，花费 price*amount 加手续费 price*amount*fee_rate。余额不足或价格不在当根K线 [low, high] 内时拒绝（返回 False）。') },
      { name: 'sell', kind: 'method', signature: 'sell(price, amount, timestamp) -> bool', doc: t('Sells amount of the position; credits price*amount less the fee. Refused when larger than the position.', '卖出 amount 数量的持仓，入账 price*amount 减手续费。超过持仓时拒绝。') },
      { name: 'sell_all', kind: 'method', signature: 'sell_all(price, timestamp) -> bool', doc: t('Sells the whole position.', '卖出全部持仓。') },
      { name: 'get_position_value', kind: 'method', signature: 'get_position_value(price) -> Decimal', doc: t('Position × price.', '持仓 × 价格。') },
      { name: 'get_equity', kind: 'method', signature: 'get_equity(price) -> Decimal', doc: t('Balance plus position value.', '余额加持仓市值。') },
      { name: 'get_avg_position_price', kind: 'method', signature: 'get_avg_position_price() -> float', doc: t('Average price of the open position.', '当前持仓的平均成本价。') },
      { name: 'get_drawdown', kind: 'method', signature: 'get_drawdown(price) -> Decimal', doc: t('Current fall of equity from its peak, 0..1.', '当前权益相对峰值的回撤，0..1。') },
      { name: 'balance', kind: 'property', signature: 'balance: Decimal', doc: t('Cash available, in the quote asset (divides by a float).', '可用余额（计价资产），可直接除以 float。') },
      { name: 'position', kind: 'property', signature: 'position: Decimal', doc: t('Base asset held.', '持有的基础资产数量。') },
      { name: 'initial_balance', kind: 'property', signature: 'initial_balance: Decimal', doc: t('Balance at the start.', '初始资金。') },
      { name: 'fee_rate', kind: 'property', signature: 'fee_rate: Decimal', doc: t('Fee as a fraction (0.001 = 0.1 %).', '手续费率（0.001 = 0.1%）。') },
      { name: 'trades', kind: 'property', signature: 'trades: list', doc: t('Fills so far (read only).', '至今的成交记录（只读）。') },
      { name: 'orders', kind: 'property', signature: 'orders: list[Order]', doc: t('Orders so far (read only).', '至今的订单（只读）。') },
      { name: 'equity_curve', kind: 'property', signature: 'equity_curve: list', doc: t('Equity per kline so far.', '至今每根K线的权益。') },
      { name: 'max_drawdown', kind: 'property', signature: 'max_drawdown: Decimal', doc: t('Largest drawdown so far, 0..1.', '至今最大回撤，0..1。') },
      { name: 'close_position', kind: 'method', signature: 'close_position(price=None, timestamp=None) -> bool', doc: t('Closes any position (a short by buying). See docs/orders.md.', '平掉全部持仓（空头则买入平仓）。见 docs/orders.md。') },
      { name: 'order', kind: 'method', signature: "order(side, amount, type, price=None, stop=None, reduce_only=False, expire_after=None, tag=None) -> int | None", doc: t('A resting order: type "limit" (price), "stop" (stop) or "stop_limit" (both); fills from the next kline. Returns its id, or None for invalid arguments.', '挂单：type 为 "limit"（price）、"stop"（stop）或 "stop_limit"（两者）；从下一根K线起可成交。返回订单 id，参数无效时返回 None。') },
      { name: 'cancel', kind: 'method', signature: 'cancel(order_id) -> bool', doc: t('Cancels an open resting order of this run.', '撤销本次回测中未成交的挂单。') },
      { name: 'open_orders', kind: 'property', signature: 'open_orders: tuple', doc: t('Open resting orders (id, side, type, amount, price, stop, reduce_only, tag), read only.', '未成交挂单（id、side、type、amount、price、stop、reduce_only、tag），只读。') },
      { name: 'set_stop_loss', kind: 'method', signature: 'set_stop_loss(price=None, pct=None) -> bool', doc: t('Stop-loss for the whole position (pct from the average entry price); None, None removes it.', '整个持仓的止损（pct 相对平均开仓价）；两个都为 None 时取消。') },
      { name: 'set_take_profit', kind: 'method', signature: 'set_take_profit(price=None, pct=None) -> bool', doc: t('Take-profit for the whole position.', '整个持仓的止盈。') },
      { name: 'set_trailing_stop', kind: 'method', signature: 'set_trailing_stop(pct=None, distance=None) -> bool', doc: t('Trailing stop; its anchor starts at the average entry price and moves after each kline.', '移动止损；锚点从平均开仓价开始，每根K线后移动。') },
      { name: 'leverage', kind: 'property', signature: 'leverage: int', doc: t('The run\'s leverage (futures).', '本次回测的杠杆（合约）。') },
      { name: 'margin_used', kind: 'property', signature: 'margin_used: Decimal', doc: t('|position| × entry price / leverage.', '|持仓| × 开仓均价 / 杠杆。') },
      { name: 'liquidation_price', kind: 'property', signature: 'liquidation_price: Decimal | None', doc: t('Binance\'s liquidation price of the position, None when flat.', '当前持仓的币安强平价格，空仓时为 None。') },
      { name: 'funding_paid', kind: 'property', signature: 'funding_paid: Decimal', doc: t('Funding paid so far (negative: received).', '至今支付的资金费（负数为收到）。') },
      { name: 'unrealized_pnl', kind: 'method', signature: 'unrealized_pnl(price) -> Decimal', doc: t('position × (price − average entry price).', '持仓 × （价格 − 开仓均价）。') },
    ],
    example: "if context.position == 0:\n    amount = float(context.balance / kline.close) * 0.95\n    context.buy(kline.close, amount, kline.open_time)",
  },
  {
    id: 'kline',
    title: t('Kline', 'K线（Kline）'),
    receivers: ['kline', 'k'],
    entries: [
      { name: 'open_time', kind: 'property', signature: 'open_time: str', doc: t('Open time, ISO-8601 UTC.', '开盘时间，ISO-8601 UTC。') },
      { name: 'close_time', kind: 'property', signature: 'close_time: str', doc: t('Close time, ISO-8601 UTC.', '收盘时间，ISO-8601 UTC。') },
      { name: 'open', kind: 'property', signature: 'open: float', doc: t('Opening price.', '开盘价。') },
      { name: 'high', kind: 'property', signature: 'high: float', doc: t('Highest price.', '最高价。') },
      { name: 'low', kind: 'property', signature: 'low: float', doc: t('Lowest price.', '最低价。') },
      { name: 'close', kind: 'property', signature: 'close: float', doc: t('Closing price.', '收盘价。') },
      { name: 'volume', kind: 'property', signature: 'volume: float', doc: t('Base asset volume.', '成交量（基础资产）。') },
      { name: 'quote_volume', kind: 'property', signature: 'quote_volume: float', doc: t('Quote asset volume.', '成交额（计价资产）。') },
      { name: 'trades_count', kind: 'property', signature: 'trades_count: int', doc: t('Number of trades in the kline.', '成交笔数。') },
      { name: 'taker_buy_base_volume', kind: 'property', signature: 'taker_buy_base_volume: float', doc: t('Taker buy volume, base asset.', '主动买入量（基础资产）。') },
      { name: 'taker_buy_quote_volume', kind: 'property', signature: 'taker_buy_quote_volume: float', doc: t('Taker buy volume, quote asset.', '主动买入额（计价资产）。') },
    ],
  },
  {
    id: 'cache',
    title: t('Kline history (KlineCache)', 'K线缓存（KlineCache）'),
    receivers: ['self.kline_cache', 'cache', 'kline_cache'],
    entries: [
      { name: 'get_closes', kind: 'method', signature: 'get_closes() -> list[float]', doc: t('Closing prices, oldest first; [-1] is the current kline.', '收盘价列表，按时间先后；[-1] 为当前K线。') },
      { name: 'get_opens', kind: 'method', signature: 'get_opens() -> list[float]', doc: t('Opening prices.', '开盘价列表。') },
      { name: 'get_highs', kind: 'method', signature: 'get_highs() -> list[float]', doc: t('Highest prices.', '最高价列表。') },
      { name: 'get_lows', kind: 'method', signature: 'get_lows() -> list[float]', doc: t('Lowest prices.', '最低价列表。') },
      { name: 'get_volumes', kind: 'method', signature: 'get_volumes() -> list[float]', doc: t('Volumes.', '成交量列表。') },
      { name: 'get_klines', kind: 'method', signature: 'get_klines() -> list[Kline]', doc: t('The klines themselves.', 'K线对象列表。') },
      { name: 'is_full', kind: 'method', signature: 'is_full() -> bool', doc: t('Whether klineWndSize klines are held.', '是否已存满 klineWndSize 根。') },
      { name: 'append', kind: 'method', signature: 'append(kline)', doc: t('Adds a kline (the engine does this before run).', '追加K线（引擎在 run 前自动追加）。') },
    ],
  },
  {
    id: 'indicators',
    title: t('Indicators', '技术指标'),
    receivers: [],
    entries: [
      { name: 'calculate_sma', kind: 'function', signature: 'calculate_sma(data, period) -> float | None', doc: t('Simple moving average of the last period values; None when data is shorter.', '最近 period 个值的简单移动平均；数据不足返回 None。') },
      { name: 'calculate_ema', kind: 'function', signature: 'calculate_ema(data, period) -> float | None', doc: t('Exponential moving average, seeded with the SMA of the first period values.', '指数移动平均，以前 period 个值的 SMA 为初值。') },
      { name: 'calculate_rsi', kind: 'function', signature: 'calculate_rsi(data, period=14) -> float | None', doc: t('RSI 0..100: mean gain / mean loss over the last period changes.', 'RSI（0..100）：最近 period 次变化的平均涨幅/平均跌幅。') },
      { name: 'calculate_macd', kind: 'function', signature: 'calculate_macd(data, fast=12, slow=26, signal=9) -> (macd, signal, histogram)', doc: t('MACD line, its signal line (a real EMA of the MACD) and the histogram; (None, None, None) when too short.', 'MACD 线、信号线（MACD 的 EMA）和柱状图；数据不足返回 (None, None, None)。') },
    ],
    example: 'rsi = calculate_rsi(self.kline_cache.get_closes(), 14)\nif rsi is not None and rsi < 30:\n    ...',
  },
  {
    id: 'types',
    title: t('Orders and enums', '订单与枚举'),
    receivers: [],
    entries: [
      { name: 'IStrategy', kind: 'class', signature: 'class Strategy(IStrategy)', doc: t('Base class of every strategy.', '所有策略的基类。') },
      { name: 'BacktestContext', kind: 'class', signature: 'BacktestContext', doc: t('The account passed to run as context.', '传给 run 的账户对象 context。') },
      { name: 'Kline', kind: 'class', signature: 'Kline', doc: t('One candlestick.', '一根K线。') },
      { name: 'KlineCache', kind: 'class', signature: 'KlineCache(kline_wnd_size=50)', doc: t('A window of recent klines.', '最近K线的窗口。') },
      { name: 'Order', kind: 'class', signature: 'Order(timestamp, order_type, price, amount, fee=0, order_side=None)', doc: t('An order record.', '订单记录。') },
      { name: 'OrderType', kind: 'class', signature: 'OrderType.BUY | OrderType.SELL', doc: t('Order type.', '订单类型。') },
      { name: 'OrderSide', kind: 'class', signature: 'OrderSide.LONG | OrderSide.SHORT', doc: t('Order direction.', '订单方向。') },
      { name: 'PositionSide', kind: 'class', signature: 'PositionSide.LONG | SHORT | BOTH', doc: t('Position direction.', '持仓方向。') },
      { name: 'Decimal', kind: 'class', signature: 'Decimal(value)', doc: t('decimal.Decimal, available without import.', 'decimal.Decimal，无需导入。') },
      { name: 'deque', kind: 'class', signature: 'deque(iterable=(), maxlen=None)', doc: t('collections.deque, available without import.', 'collections.deque，无需导入。') },
      { name: 'datetime', kind: 'class', signature: 'datetime', doc: t('datetime.datetime, available without import.', 'datetime.datetime，无需导入。') },
    ],
  },
  {
    id: 'enums',
    title: t('Enum members', '枚举成员'),
    receivers: ['OrderType', 'OrderSide', 'PositionSide'],
    entries: [
      { name: 'BUY', kind: 'constant', signature: 'OrderType.BUY', doc: t('A buy.', '买入。') },
      { name: 'SELL', kind: 'constant', signature: 'OrderType.SELL', doc: t('A sell.', '卖出。') },
      { name: 'LONG', kind: 'constant', signature: 'OrderSide.LONG / PositionSide.LONG', doc: t('Long.', '多头。') },
      { name: 'SHORT', kind: 'constant', signature: 'OrderSide.SHORT / PositionSide.SHORT', doc: t('Short.', '空头。') },
      { name: 'BOTH', kind: 'constant', signature: 'PositionSide.BOTH', doc: t('Both directions.', '双向。') },
    ],
  },
  {
    id: 'params',
    title: t('Parameters (params)', '参数（params）'),
    receivers: ['params'],
    entries: [
      { name: 'get', kind: 'method', signature: "params.get('fast_period', 10)", doc: t('A strategy parameter from the Parameters box, with a default.', '读取“策略参数”中的值，可带默认值。') },
      { name: 'klineWndSize', kind: 'constant', signature: "klineWndSize (int, default 50)", doc: t('Read by the engine: how many klines self.kline_cache keeps.', '由引擎读取：self.kline_cache 保留的K线数量。') },
    ],
  },
  {
    id: 'sandbox',
    title: t('Allowed imports and limits', '可用模块与限制'),
    receivers: [],
    entries: [
      { name: 'math', kind: 'constant', signature: 'import math', doc: t('Allowed, with collections, decimal and datetime.', '允许导入；另可导入 collections、decimal、datetime。') },
      { name: 'collections', kind: 'constant', signature: 'import collections', doc: t('Allowed.', '允许导入。') },
      { name: 'decimal', kind: 'constant', signature: 'import decimal', doc: t('Allowed.', '允许导入。') },
      { name: 'print', kind: 'function', signature: 'print(*values)', doc: t('Goes to the Output pane (capped in size).', '输出显示在“输出”面板（有大小上限）。') },
    ],
    example: '# Forbidden: open, eval, exec, compile, os, sys, subprocess, socket, requests, urllib, other imports.\n# A forbidden use fails the run and names the line.',
  },
];

/** Global names a strategy can use without import (contract §3), plus the allowed modules. */
export const GLOBAL_NAMES: string[] = API_SECTIONS.filter((s) => s.receivers.length === 0).flatMap((s) => s.entries.map((e) => e.name));

/** The entries completing `receiver.` (e.g. `context.`), or null when the receiver is unknown. */
export function membersOf(receiver: string): ApiEntry[] | null {
  const section = API_SECTIONS.find((s) => s.receivers.includes(receiver));
  if (!section) return null;
  if (section.id === 'enums') {
    const members: Record<string, string[]> = { OrderType: ['BUY', 'SELL'], OrderSide: ['LONG', 'SHORT'], PositionSide: ['LONG', 'SHORT', 'BOTH'] };
    return section.entries.filter((e) => members[receiver].includes(e.name));
  }
  if (section.id === 'params') return section.entries.filter((e) => e.kind === 'method');
  return section.entries;
}
