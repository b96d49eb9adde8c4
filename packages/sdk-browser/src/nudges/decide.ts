import { isHeldOut } from './hash.js'
import type { NudgeMemory, NudgeSpec } from './types.js'

export type Decision = 'show' | 'hold_out' | 'skip'

/** Whether the frequency cap allows another showing now. */
export function capAllows(m: NudgeMemory, f: NudgeSpec['frequency'], now: number): boolean {
  if ((m.s ?? 0) >= f.maxShows) return false
  return m.t === undefined || now - m.t >= f.minHoursBetween * 3_600_000
}

/** Whether the page path matches one of the nudge's patterns (none = every page). */
export function pageMatches(pages: readonly string[], path: string): boolean {
  if (pages.length === 0) return true
  return pages.some((p) => {
    try {
      return new RegExp(p).test(path)
    } catch {
      return false
    }
  })
}

/** The arm, fixed at the first decision so that identify() later never moves a user across arms. */
export function armOf(m: NudgeMemory, spec: NudgeSpec, userKey: string): 's' | 'h' {
  return m.a ?? (isHeldOut(userKey, spec.id, spec.holdoutShare) ? 'h' : 's')
}

/**
 * The browser's half of eligibility (metrics spec §7), after the collector's half (`eligible`:
 * new user, target feature not used, plan): never after dismissal, a click on its call to action
 * or use of the feature; only on matching pages; held-out users never see it; the frequency cap.
 * Held-out users are decided before the cap, so they are recorded where shown users would be shown.
 */
export function decide(spec: NudgeSpec, m: NudgeMemory, c: { eligible: boolean; path: string; now: number; userKey: string }): Decision {
  if (!c.eligible || m.d || m.c || m.u) return 'skip'
  if (!pageMatches(spec.pages, c.path)) return 'skip'
  if (armOf(m, spec, c.userKey) === 'h') return 'hold_out'
  return capAllows(m, spec.frequency, c.now) ? 'show' : 'skip'
}
