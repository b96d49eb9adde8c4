import { isHeldOut } from '@tenure/analysis'
import type { SimConfig } from './config.js'
import type { Rng } from './random.js'

export type SimNudge = SimConfig['nudges'][number]

/** What the SDK remembers per browser and nudge (sdk-browser/src/nudges/memory.ts): arm, shows, last show, dismissed, clicked, held out recorded. */
export interface NudgeMemory {
  a?: 's' | 'h'
  s?: number
  t?: number
  d?: 1
  c?: 1
  h?: 1
}

/**
 * What the nudge plugin records on one page view, and the feature the person goes on to use
 * because of it: through the banner's link (a page load) or through the menu (a navigation click).
 */
export interface NudgeStep {
  events: { event: string; properties: Record<string, unknown> }[]
  follow: { feature: string; viaLink: boolean } | null
}

/** The nudge plugin in one visit of a signed-in person, as buildSession drives it. */
export interface SessionNudges {
  /** A page was viewed at `t`: the plugin decides, shows at most one nudge, records what it did. */
  onPageview(t: number): NudgeStep | null
  /** A feature was used: from the next page on, the collector no longer finds the person eligible for nudges towards it. */
  onFeature(key: string): void
}

export interface NudgeVisit {
  /** Nudges running on the visit's day, in the order the collector lists them (by id). */
  running: readonly SimNudge[]
  userId: string
  /** Calendar day of the person's life (day 0 = first activity). */
  lifeDay: number
  /** Features the user has used so far, on any device; the collector's eligibility reads it. */
  used: Set<string>
  /** This browser's memory, per nudge id. */
  memory: Map<string, NudgeMemory>
  rng: Rng
  /** The person followed a call to action to the feature and used it. */
  adopt: (feature: string) => void
}

/**
 * The SDK's nudge plugin (sdk-browser/src/nudges/plugin.ts and decide.ts) on a multi-page app,
 * for simulated visits. The collector's half of eligibility: a signed-in user in their first
 * `firstDays` days who has not used the target feature. The browser's half: never after a
 * dismissal or a click; held-out users (by the shared holdout hash of user id and nudge id) are
 * recorded once per browser and never shown; the frequency cap. Each page load shows at most one
 * nudge, the first the rules allow; held-out nudges before it are recorded on the way.
 */
export function nudgeVisit(v: NudgeVisit): SessionNudges {
  return {
    onPageview(t) {
      const events: NudgeStep['events'] = []
      let follow: NudgeStep['follow'] = null
      for (const n of v.running) {
        if (v.lifeDay >= n.firstDays || v.used.has(n.feature)) continue
        const m = v.memory.get(n.id) ?? {}
        v.memory.set(n.id, m)
        if (m.d || m.c) continue
        const arm = m.a ?? (isHeldOut(v.userId, n.id, n.holdoutShare) ? 'h' : 's')
        if (arm === 'h') {
          if (!m.h) {
            m.a = 'h'
            m.h = 1
            events.push({ event: '$nudge_held_out', properties: { nudge_id: n.id } })
          }
          continue
        }
        if ((m.s ?? 0) >= n.maxShows || (m.t !== undefined && t - m.t < n.minHoursBetween * 3_600_000)) continue
        m.a = 's'
        m.s = (m.s ?? 0) + 1
        m.t = t
        events.push({ event: '$nudge_shown', properties: { nudge_id: n.id, placement: 'banner' } })
        const r = v.rng.next()
        if (r < n.follow) {
          const viaLink = v.rng.chance(n.click)
          if (viaLink) {
            m.c = 1
            events.push({ event: '$nudge_clicked', properties: { nudge_id: n.id } })
          }
          follow = { feature: n.feature, viaLink }
          v.adopt(n.feature)
        } else if (r < n.follow + n.dismiss) {
          m.d = 1
          events.push({ event: '$nudge_dismissed', properties: { nudge_id: n.id } })
        }
        break
      }
      return events.length ? { events, follow } : null
    },
    onFeature(key) {
      v.used.add(key)
    },
  }
}
