import { describe, expect, it } from 'vitest';
import { csvField, tradesToCsv } from './csv';

describe('trade CSV', () => {
  it('writes a header and one line per fill, full precision, value = price × amount', () => {
    const csv = tradesToCsv([
      { timestamp: '2024-01-01T05:00:00+00:00', type: 'buy', price: 42000.5, amount: 0.22619047, balance: 490.12345678, fee: 9.5000015 },
      { timestamp: '2024-01-02T07:00:00+00:00', type: 'sell', price: 43000, amount: 0.22619047, balance: 10205.7, fee: 9.72619021, reason: 'stop_loss', slippage: 0.19 },
      { timestamp: '2024-01-03T01:00:00+00:00', type: 'liquidation', price: 39000, amount: 0.1, balance: 0, fee: 1.95, reason: 'liquidation', slippage: 0 },
    ]);
    expect(csv).toBe(
      'timestamp,type,price,amount,value,fee,balance,reason,slippage\r\n' +
        `2024-01-01T05:00:00+00:00,buy,42000.5,0.22619047,${42000.5 * 0.22619047},9.5000015,490.12345678,,\r\n` +
        `2024-01-02T07:00:00+00:00,sell,43000,0.22619047,${43000 * 0.22619047},9.72619021,10205.7,stop_loss,0.19\r\n` +
        `2024-01-03T01:00:00+00:00,liquidation,39000,0.1,${39000 * 0.1},1.95,0,liquidation,0\r\n`,
    );
  });

  it('quotes fields with commas, quotes or line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('keeps spreadsheets from running a field as a formula, but leaves negative numbers alone', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-cmd')).toBe("'-cmd");
    expect(csvField(-1.5)).toBe('-1.5');
  });

  it('leaves non-finite numbers empty', () => {
    expect(csvField(NaN)).toBe('');
    expect(csvField(Infinity)).toBe('');
  });
});
