/** How many of the ascending values are below `x` (with `orEqual`, at most `x`): a search by halving. */
export function countBelow(sorted: readonly number[], x: number, orEqual = false): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid]! < x || (orEqual && sorted[mid] === x)) lo = mid + 1
    else hi = mid
  }
  return lo
}
