import { isHeldOut } from '@tenure/analysis'
import { DAY_MS, parseDay } from '../dates.js'
import { rngFor, type Rng } from '../random.js'
import type { SimEvent, SimSession } from '../sessions.js'
import { baseReturn, people, type WorldFeature, type WorldPerson, type WorldSpec } from './confounding.js'

/**
 * Confounding worlds (see confounding.ts) in which a nudge steers new users towards each feature.
 * On a person's first visit every nudge records its arm by the real holdout hash
 * (`$nudge_shown` / `$nudge_held_out`), as the SDK does. Compliance model: among users who see a
 * nudge and would not have used the feature that day anyway, a share `compliance` use it then.
 * The nudge touches return only through use (the exclusion restriction holds by construction),
 * so its experiment can tell a true effect from the hidden-propensity confounding that makes
 * heavy users adopt.
 */
export interface NudgedFeature extends WorldFeature {
  nudgeId: string
}

export interface NudgedWorldSpec extends Omit<WorldSpec, 'kind' | 'features'> {
  features: NudgedFeature[]
  holdoutShare: number
  compliance: number
}

/**
 * Two nudged features: `null-confounded` does nothing but is used ∝ h³ (people who return anyway);
 * `effect-1_6` multiplies its adopters' daily return by 1.6 from day 7 on and is used ∝ h².
 */
export function nudgedWorldSpec(seed: number, users = 6000): NudgedWorldSpec {
  return {
    seed,
    users,
    joinDays: 14,
    days: 30,
    endDate: '2025-03-01',
    holdoutShare: 0.5,
    compliance: 0.6,
    features: [
      { id: 'null-confounded', nudgeId: 'n-null-confounded', effect: 1, use: (p) => Math.min(0.9, 0.06 * p.h ** 3) },
      { id: 'effect-1_6', nudgeId: 'n-effect-1_6', effect: 1.6, use: (p) => Math.min(0.9, 0.08 * p.h ** 2) },
    ],
  }
}

export interface NudgedTruth {
  /** Per nudge: users assigned and held out, and adopters in each arm (first week). */
  nudges: { nudgeId: string; featureId: string; effect: number; assigned: number; heldOut: number; adoptedAssigned: number; adoptedHeldOut: number }[]
}

export function* nudgedWorldSessions(spec: NudgedWorldSpec, truth: NudgedTruth): Generator<SimSession> {
  const rng = rngFor(spec.seed, 'nudged-world')
  const startMs = parseDay(spec.endDate) - spec.days * DAY_MS
  const tally = spec.features.map((f) => ({ nudgeId: f.nudgeId, featureId: f.id, effect: f.effect, assigned: 0, heldOut: 0, adoptedAssigned: 0, adoptedHeldOut: 0 }))
  for (const p of people({ ...spec, kind: 'propensity', features: spec.features }, rng)) {
    const adopted = new Set<string>()
    const assigned = spec.features.map((f) => !isHeldOut(p.id, f.nudgeId, spec.holdoutShare))
    assigned.forEach((a, i) => (a ? tally[i]!.assigned++ : tally[i]!.heldOut++))
    let active = 0
    for (let d = p.joinDay; d < spec.days; d++) {
      const k = d - p.joinDay
      let mult = 1
      if (k >= 7) for (const f of spec.features) if (adopted.has(f.id)) mult *= f.effect
      if (k > 0 && !rng.chance(Math.min(0.95, baseReturn(p, k) * mult))) continue
      active += 1
      const used =
        k < 7
          ? spec.features.filter((f, i) => rng.chance(f.use(p, k, active, adopted)) || (k === 0 && assigned[i] && rng.chance(spec.compliance)))
          : spec.features.filter((f) => adopted.has(f.id) && rng.chance(0.3))
      for (const f of used) {
        if (!adopted.has(f.id) && k < 7) {
          const i = spec.features.indexOf(f)
          if (assigned[i]) tally[i]!.adoptedAssigned++
          else tally[i]!.adoptedHeldOut++
        }
        adopted.add(f.id)
      }
      const exposures = k === 0 ? spec.features.map((f, i) => ({ nudgeId: f.nudgeId, shown: assigned[i]! })) : []
      yield* daySessions(rng, p, startMs + d * DAY_MS, exposures, used.map((f) => f.id))
    }
  }
  truth.nudges = tally
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'

/** One or two visits; on the first, nudge exposures come right after the first page view, then feature use. */
function* daySessions(rng: Rng, p: WorldPerson, dayMs: number, exposures: { nudgeId: string; shown: boolean }[], features: string[]): Generator<SimSession> {
  const visits = rng.chance(0.3) ? 2 : 1
  for (let v = 0; v < visits; v++) {
    let t = dayMs + (9 + v * 4) * 3_600_000 + rng.int(0, 3_000_000)
    const session = `s_${rng.uuid().slice(0, 13)}`
    const events: SimEvent[] = []
    const push = (event: string, properties: Record<string, unknown> = {}) => {
      events.push({
        uuid: rng.uuid(), event, timestamp: t, anonymous_id: `anon_${p.id}`, user_id: p.id, account_id: p.account, session_id: session,
        url: 'https://app.example.com/home', referrer: null, title: 'Home', feature_key: null, elements: null, properties,
      })
      t += rng.int(5_000, 60_000)
    }
    push('$pageview')
    if (v === 0) {
      for (const x of exposures) push(x.shown ? '$nudge_shown' : '$nudge_held_out', { nudge_id: x.nudgeId })
      for (const f of features) push(`feature:${f}`)
    }
    const views = rng.int(0, 3)
    for (let i = 0; i < views; i++) push('$pageview')
    yield { ua: UA, events }
  }
}
