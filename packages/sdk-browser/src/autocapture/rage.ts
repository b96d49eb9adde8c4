export interface RageOptions {
  /** Clicks in one burst that make it a rage click. */
  count: number
  /** Longest gap between consecutive clicks of a burst. */
  gapMs: number
  /** Largest distance of a click from the previous one. */
  radiusPx: number
}

export const RAGE_DEFAULTS: RageOptions = { count: 3, gapMs: 1000, radiusPx: 30 }

/** Feeds clicks in; answers true once per burst, at the click that reaches `count`. */
export function rageDetector(opts: RageOptions = RAGE_DEFAULTS): (x: number, y: number, t: number) => boolean {
  let n = 0
  let lx = 0
  let ly = 0
  let lt = -Infinity
  return (x, y, t) => {
    const near = Math.hypot(x - lx, y - ly) <= opts.radiusPx
    n = near && t - lt <= opts.gapMs ? n + 1 : 1
    lx = x
    ly = y
    lt = t
    return n === opts.count
  }
}
