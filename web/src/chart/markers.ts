import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import type { BracketExit, BarFills } from './thin';
import { COLORS, toSeconds } from './theme';

/** The short text of a bracket exit's marker. */
export const EXIT_TEXT: Record<BracketExit, string> = { stop_loss: 'SL', take_profit: 'TP', trailing_stop: 'TS' };

/**
 * The marker of one bar's fills of one kind: buys an up arrow below the bar (`B`), sells a down arrow
 * above it (`S`), a bracket exit the same arrow named `SL` / `TP` / `TS`, a liquidation a square of its
 * own colour above the bar (`LIQ`); `×n` when several fills share it.
 */
export function fillMarker(g: BarFills): SeriesMarker<Time> {
  const count = g.fills.length > 1 ? `×${g.fills.length}` : '';
  const base = { id: `${g.barTime}|${g.side}|${g.exit ?? ''}`, time: toSeconds(g.barTime) as UTCTimestamp };
  if (g.side === 'liquidation') return { ...base, position: 'aboveBar', shape: 'square', color: COLORS.liquidation, text: 'LIQ' + count };
  const buy = g.side === 'buy';
  return {
    ...base,
    position: buy ? 'belowBar' : 'aboveBar',
    shape: buy ? 'arrowUp' : 'arrowDown',
    color: buy ? COLORS.up : COLORS.down,
    text: (g.exit ? EXIT_TEXT[g.exit] : buy ? 'B' : 'S') + count,
  };
}
