// Round trips from a run's fills, as the server's metrics count them (docs/metrics.md, Metrics.RoundTrips):
// a trip opens with a fill from a flat position (a buy: long; a sell or liquidation: short) and closes when
// the position is flat again; a fill that flips the position closes one trip and opens the next, its amount
// and fee shared by amount. P&L = every sell's value − every buy's value − every fee inside the trip. A trip
// still open at the end is listed as open, without P&L, and not counted by the metrics.
import type { Trade } from '../api/types';
import { timeMs } from '../api/client';
import { csvField } from './csv';

export interface TripFill {
  /** Index in the run's fill list. */
  index: number;
  trade: Trade;
  /** The part of the fill's amount inside this trip (less than the amount for a flip). */
  amount: number;
  fee: number;
}

export interface RoundTrip {
  /** 1-based, in time order. */
  n: number;
  side: 'long' | 'short';
  entryTime: number;
  /** null while open. */
  exitTime: number | null;
  /** Largest position held in the trip, in the base asset. */
  size: number;
  /** Amount-weighted price of the fills that grew the position. */
  entryPrice: number;
  /** Amount-weighted price of the fills that shrank it; null while open. */
  exitPrice: number | null;
  fees: number;
  /** Net of fees; null while open. */
  pnl: number | null;
  /** P&L over the value paid to enter (size × entry price); null while open. */
  returnPct: number | null;
  durationMs: number | null;
  fills: TripFill[];
}

const EPS = 1e-12;

interface OpenTrip extends RoundTrip {
  cash: number;
  inValue: number;
  inAmount: number;
  outValue: number;
  outAmount: number;
}

/** A fill's direction: a buy +1, a sell −1; a liquidation closes what is held, so the opposite of the position. */
function signOf(t: Trade, position: number): 1 | -1 {
  if (t.type === 'buy') return 1;
  if (t.type === 'sell') return -1;
  return position > 0 ? -1 : 1;
}

function finish(o: OpenTrip): RoundTrip {
  o.entryPrice = o.inAmount > 0 ? o.inValue / o.inAmount : 0;
  const { cash: _c, inValue: _iv, inAmount: _ia, outValue: _ov, outAmount: _oa, ...trip } = o;
  return trip;
}

export function roundTrips(fills: Trade[]): RoundTrip[] {
  const trips: RoundTrip[] = [];
  let position = 0;
  let open: OpenTrip | null = null;

  const add = (o: OpenTrip, t: Trade, index: number, sign: 1 | -1, amount: number, fee: number) => {
    const value = t.price * amount;
    o.cash += (sign > 0 ? -value : value) - fee;
    o.fees += fee;
    o.fills.push({ index, trade: t, amount, fee });
    if ((o.side === 'long') === (sign > 0)) {
      o.inValue += value;
      o.inAmount += amount;
    } else {
      o.outValue += value;
      o.outAmount += amount;
    }
  };
  const start = (t: Trade, index: number, sign: 1 | -1, amount: number, fee: number): OpenTrip => {
    const o: OpenTrip = {
      n: trips.length + 1,
      side: sign > 0 ? 'long' : 'short',
      entryTime: timeMs(t.timestamp),
      exitTime: null,
      size: 0,
      entryPrice: 0,
      exitPrice: null,
      fees: 0,
      pnl: null,
      returnPct: null,
      durationMs: null,
      fills: [],
      cash: 0,
      inValue: 0,
      inAmount: 0,
      outValue: 0,
      outAmount: 0,
    };
    add(o, t, index, sign, amount, fee);
    return o;
  };

  fills.forEach((t, index) => {
    const sign = signOf(t, position);
    const amount = t.amount;
    if (open == null || position === 0) {
      open = start(t, index, sign, amount, t.fee);
    } else if (Math.sign(position) === sign) {
      add(open, t, index, sign, amount, t.fee);
    } else if (amount >= Math.abs(position) * (1 - EPS)) {
      // this fill ends the trip, and may open the next with the rest
      const closing = Math.min(amount, Math.abs(position));
      const share = amount > 0 ? closing / amount : 1;
      add(open, t, index, sign, closing, t.fee * share);
      open.exitTime = timeMs(t.timestamp);
      open.pnl = open.cash;
      open.exitPrice = open.outAmount > 0 ? open.outValue / open.outAmount : null;
      open.returnPct = open.inValue > 0 ? open.cash / open.inValue : null;
      open.durationMs = open.exitTime - open.entryTime;
      trips.push(finish(open));
      const rest = amount - closing;
      open = rest > EPS * Math.max(1, amount) ? start(t, index, sign, rest, t.fee - t.fee * share) : null;
    } else {
      add(open, t, index, sign, amount, t.fee);
    }
    position += sign * amount;
    if (Math.abs(position) <= EPS * Math.max(1, amount)) position = 0;
    if (open) open.size = Math.max(open.size, Math.abs(position));
  });
  if (open) trips.push(finish(open));
  return trips;
}

/** The closed trips' totals: what the server's metrics call roundTrips and expectancy × roundTrips. */
export function tripTotals(trips: RoundTrip[]): { closed: number; netPnl: number; wins: number } {
  let closed = 0;
  let netPnl = 0;
  let wins = 0;
  for (const t of trips) {
    if (t.pnl == null) continue;
    closed++;
    netPnl += t.pnl;
    if (t.pnl > 0) wins++;
  }
  return { closed, netPnl, wins };
}

/** CSV of the trips (as the fills' CSV: RFC 4180, full precision), one line each: entry,exit,side,size,entry_price,exit_price,pnl,return,duration_hours,fees,fills. */
export function tripsCsv(trips: RoundTrip[]): string {
  const iso = (ms: number | null) => (ms == null ? '' : new Date(ms).toISOString());
  const lines = ['entry,exit,side,size,entry_price,exit_price,pnl,return,duration_hours,fees,fills'];
  for (const t of trips) {
    lines.push(
      [iso(t.entryTime), iso(t.exitTime), t.side, t.size, t.entryPrice, t.exitPrice, t.pnl, t.returnPct, t.durationMs == null ? null : t.durationMs / 3_600_000, t.fees, t.fills.length]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
