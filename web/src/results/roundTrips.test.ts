import { describe, expect, it } from 'vitest';
import { roundTrips, tripTotals, tripsCsv } from './roundTrips';
import type { Trade } from '../api/types';

const at = (h: number) => new Date(Date.UTC(2024, 0, 1, h)).toISOString();
const fill = (h: number, type: Trade['type'], price: number, amount: number, fee: number): Trade => ({ timestamp: at(h), type, price, amount, fee, balance: 0 });

describe('round trips', () => {
  it('groups fills into trips with their P&L, prices, return, duration and fees (worked by hand)', () => {
    const trips = roundTrips([
      fill(0, 'buy', 100, 2, 0.2),
      fill(1, 'buy', 110, 1, 0.11),
      fill(3, 'sell', 120, 3, 0.36),
    ]);
    expect(trips).toHaveLength(1);
    const t = trips[0];
    expect(t.side).toBe('long');
    expect(t.size).toBe(3);
    expect(t.entryPrice).toBeCloseTo(310 / 3, 12);
    expect(t.exitPrice).toBe(120);
    // 360 − 310 − 0.67
    expect(t.pnl).toBeCloseTo(49.33, 10);
    expect(t.returnPct).toBeCloseTo(49.33 / 310, 12);
    expect(t.fees).toBeCloseTo(0.67, 12);
    expect(t.durationMs).toBe(3 * 3_600_000);
    expect(t.fills.map((f) => f.index)).toEqual([0, 1, 2]);
  });

  it('splits a flip by amount, fee included, and leaves the last trip open', () => {
    const trips = roundTrips([
      fill(0, 'buy', 100, 1, 0.1),
      fill(2, 'sell', 90, 3, 0.27), // closes the long (1 of 3: fee 0.09), opens a short of 2 (fee 0.18)
      fill(5, 'buy', 80, 2, 0.16),
      fill(6, 'buy', 100, 1, 0.1),
    ]);
    expect(trips.map((t) => t.side)).toEqual(['long', 'short', 'long']);
    expect(trips[0].pnl).toBeCloseTo(90 - 100 - 0.1 - 0.09, 10);
    expect(trips[1].pnl).toBeCloseTo(2 * 90 - 160 - 0.18 - 0.16, 10);
    expect(trips[1].size).toBe(2);
    expect(trips[1].entryTime).toBe(Date.UTC(2024, 0, 1, 2));
    expect(trips[1].fills[0]).toMatchObject({ index: 1, amount: 2 });
    expect(trips[1].fills[0].fee).toBeCloseTo(0.18, 12);
    expect(trips[2].pnl).toBeNull();
    expect(trips[2].exitTime).toBeNull();
    const totals = tripTotals(trips);
    expect(totals.closed).toBe(2);
    expect(totals.netPnl).toBeCloseTo(-10.19 + 19.66, 10);
    expect(totals.wins).toBe(1);
  });

  it('closes a position with a liquidation', () => {
    const trips = roundTrips([fill(0, 'sell', 100, 1, 0), fill(1, 'liquidation', 150, 1, 0.5)]);
    expect(trips).toHaveLength(1);
    expect(trips[0].side).toBe('short');
    expect(trips[0].pnl).toBeCloseTo(100 - 150 - 0.5, 10);
  });

  it('writes a CSV line per trip', () => {
    const csv = tripsCsv(roundTrips([fill(0, 'buy', 100, 1, 0), fill(2, 'sell', 110, 1, 0)]));
    expect(csv).toBe('entry,exit,side,size,entry_price,exit_price,pnl,return,duration_hours,fees,fills\r\n2024-01-01T00:00:00.000Z,2024-01-01T02:00:00.000Z,long,1,100,110,10,0.1,2,0,2\r\n');
  });
});
