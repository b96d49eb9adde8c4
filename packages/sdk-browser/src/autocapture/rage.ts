export interface RageOptions {
  /** Clicks on one element that make it a rage click. */
  count: number
  /** Time from the first to the last of those clicks, at most. */
  windowMs: number
}

export const RAGE_DEFAULTS: RageOptions = { count: 3, windowMs: 1000 }

/**
 * Feeds clicks in (the element clicked and the time); answers true once per burst, at the click
 * that makes `count` clicks on the same element within `windowMs` in total. Normal clicking about
 * a second apart never qualifies, however long it goes on.
 */
export function rageDetector(opts: RageOptions = RAGE_DEFAULTS): (target: unknown, t: number) => boolean {
  let last: unknown = null
  let times: number[] = []
  let fired = false
  return (target, t) => {
    if (target !== last) {
      last = target
      times = []
      fired = false
    }
    times.push(t)
    while (t - times[0]! > opts.windowMs) times.shift()
    if (times.length < opts.count) {
      fired = false
      return false
    }
    if (fired) return false
    fired = true
    return true
  }
}
