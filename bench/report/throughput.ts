/** Longer than any pause inside one limiter window's burst of admissions, shorter than a window. */
const BURST_GAP_MS = 250;

/**
 * Successes per second from their completion times. A fixed-window limiter admits in bursts
 * about a second apart, so counting over a fixed span cuts a burst in part and the figure
 * jumps by a whole window (a tenth, over ten seconds). When there are bursts, count from the
 * start of the first to the start of the last instead: whole windows only. Without bursts
 * (a smoother limiter), the plain count over the span is already fair.
 */
export function successesPerSecond(successAtMs: readonly number[], spanMs: number): { perSecond: number; windows: number } {
  const times = [...successAtMs].sort((a, b) => a - b);
  const starts = times.filter((t, i) => i === 0 || t - times[i - 1]! > BURST_GAP_MS);
  if (starts.length < 3) return { perSecond: (times.length / spanMs) * 1000, windows: 0 };
  const first = starts[0]!;
  const last = starts[starts.length - 1]!;
  const inside = times.filter((t) => t >= first && t < last).length;
  return { perSecond: (inside / (last - first)) * 1000, windows: starts.length - 1 };
}
