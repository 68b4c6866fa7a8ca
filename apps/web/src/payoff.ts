/** Strikes of a short iron condor (index points). */
export interface CondorStrikes {
  readonly putLong: number;
  readonly putShort: number;
  readonly callShort: number;
  readonly callLong: number;
}

/** P&L at expiry of one short iron condor, in index points, for settlement `s` and credit `credit`. */
export function condorPayoffPts(k: CondorStrikes, credit: number, s: number): number {
  const put = Math.max(0, k.putShort - s) - Math.max(0, k.putLong - s);
  const call = Math.max(0, s - k.callShort) - Math.max(0, s - k.callLong);
  return credit - put - call;
}

/** Points of the payoff diagram across [lo, hi] (kinks included exactly). */
export function payoffCurve(
  k: CondorStrikes,
  credit: number,
  lo: number,
  hi: number,
): Array<[number, number]> {
  const xs = [lo, k.putLong, k.putShort, k.callShort, k.callLong, hi].filter((x) => x >= lo && x <= hi);
  return [...new Set(xs)].sort((a, b) => a - b).map((x) => [x, condorPayoffPts(k, credit, x)]);
}

/** An SVG payoff diagram (USD per condor = points x 100), with the breakevens and spot marked. */
export function payoffSvg(k: CondorStrikes, credit: number, spot: number, width = 440, height = 220): string {
  const span = Math.max(k.callLong - k.putLong, 20);
  const lo = k.putLong - span * 0.35;
  const hi = k.callLong + span * 0.35;
  const pts = payoffCurve(k, credit, lo, hi).map(([x, y]) => [x, y * 100] as const);
  const ys = pts.map((p) => p[1]);
  const yMin = Math.min(...ys, 0);
  const yMax = Math.max(...ys, 0);
  const pad = 28;
  const sx = (x: number) => pad + ((x - lo) / (hi - lo)) * (width - 2 * pad);
  const sy = (y: number) => pad + ((yMax - y) / (yMax - yMin || 1)) * (height - 2 * pad);
  const path = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  const be = [k.putShort - credit, k.callShort + credit];
  const label = (x: number, y: number, t: string, anchor = 'middle') =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="10" text-anchor="${anchor}">${t}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="payoff at expiry">
  <line x1="${pad}" x2="${width - pad}" y1="${sy(0)}" y2="${sy(0)}" stroke="#98a2b3" />
  <path d="${path}" fill="none" stroke="#1570ef" stroke-width="2" />
  ${be.map((b) => `<line x1="${sx(b)}" x2="${sx(b)}" y1="${pad}" y2="${height - pad}" stroke="#f79009" stroke-dasharray="3 3" />${label(sx(b), height - 8, b.toFixed(1))}`).join('')}
  <line x1="${sx(spot)}" x2="${sx(spot)}" y1="${pad}" y2="${height - pad}" stroke="#12b76a" />${label(sx(spot), pad - 6, `SPX ${spot.toFixed(0)}`)}
  ${label(pad, sy(yMax) - 4, `+$${yMax.toFixed(0)}`, 'start')}${label(pad, sy(yMin) + 12, `-$${Math.abs(yMin).toFixed(0)}`, 'start')}
</svg>`;
}
