/** An active nudge as the collector serves it (`GET /v1/nudges/active`, analysis `PublicNudge`). */
export interface NudgeSpec {
  id: string
  /** Anchored regular expressions over the page path; empty = every page. */
  pages: string[]
  placement:
    | { type: 'tooltip'; selector: string; side: 'top' | 'bottom' | 'left' | 'right'; fallback: 'banner' | 'none' }
    | { type: 'banner'; position: 'top' | 'bottom' }
  copy: { title?: string; body: string; cta?: { label: string; url?: string } }
  frequency: { maxShows: number; minHoursBetween: number }
  holdoutShare: number
}

/**
 * What this browser remembers of one nudge for one person (short keys: it lives in localStorage).
 * s: times shown, t: last shown (ms), a: arm ('s' shown / 'h' held out), h: held-out recorded,
 * d: dismissed, c: call to action clicked, u: target feature used (the anchor was clicked).
 */
export interface NudgeMemory {
  s?: number
  t?: number
  a?: 's' | 'h'
  h?: 1
  d?: 1
  c?: 1
  u?: 1
}
