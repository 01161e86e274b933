import type { TimeRange } from './PriceChart';

type Listener<T> = (value: T) => void;

/**
 * Carries the candle chart's visible range and crosshair to the equity chart without going through
 * React state: scrolling fires dozens of times a second and should not re-render the page.
 */
export class ChartSync {
  private rangeListeners = new Set<Listener<TimeRange | null>>();
  private crosshairListeners = new Set<Listener<number | null>>();
  lastRange: TimeRange | null = null;

  emitRange = (range: TimeRange | null) => {
    this.lastRange = range;
    for (const l of this.rangeListeners) l(range);
  };

  emitCrosshair = (timeMs: number | null) => {
    for (const l of this.crosshairListeners) l(timeMs);
  };

  onRange(listener: Listener<TimeRange | null>): () => void {
    this.rangeListeners.add(listener);
    return () => this.rangeListeners.delete(listener);
  }

  onCrosshair(listener: Listener<number | null>): () => void {
    this.crosshairListeners.add(listener);
    return () => this.crosshairListeners.delete(listener);
  }
}
