/**
 * The partition point of the index range [from, to): the first index i at which `isAtOrPast(i)` holds,
 * for a predicate that is false and then true over the range (ascending data searched for a lower or an
 * upper bound); `to` when it never holds. O(log n) calls of the predicate.
 *
 * The core's bound searches (calendar, expirations, snapshots, VIX strikes, RSAi) are this one
 * bisection over their own arrays (number[], Int32Array, rows by date), so the off-by-one lives in one
 * place. Exact-match lookups (chain strikeIndex) keep their own three-way loop.
 */
export function partitionPoint(from: number, to: number, isAtOrPast: (i: number) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAtOrPast(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
