import type { ActiveNudge } from './config.js'

/** What the collector knows about one user when a page asks which nudges it may show. */
export interface UserFacts {
  /** First activity (epoch ms); null for a user with nothing stored yet, who is new by definition. */
  firstSeenMs: number | null
  /** Ids of the features the user has used at least once. */
  usedFeatures: ReadonlySet<string>
  /** The account's plan, when known. */
  plan: string | null
  /** The page sent a user id (identify() was called): a signed-in user, not an anonymous visitor. */
  identified: boolean
}

export type EligibilityReason = 'eligible' | 'anonymous' | 'not_new' | 'used_feature' | 'plan' | 'feature_missing'

export interface EligibilityAnswer {
  nudgeId: string
  eligible: boolean
  reason: EligibilityReason
  /** Calendar day of the user's life today (day 0 = first activity). */
  dayIndex: number
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** Days since 1970-01-01 of the calendar date of `ms` in `timezone`. */
export function localDayNumber(ms: number, timezone: string): number {
  let f = dayFormats.get(timezone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timezone, f)
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]))
  return Math.round(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / 86_400_000)
}

/** Calendar days between the first activity and now in the project's zone (metrics spec §1). */
export function dayIndex(firstSeenMs: number | null, nowMs: number, timezone: string): number {
  if (firstSeenMs === null || firstSeenMs > nowMs) return 0
  return localDayNumber(nowMs, timezone) - localDayNumber(firstSeenMs, timezone)
}

const normalPlan = (p: string) => p.trim().toLowerCase()

/**
 * The part of a nudge's audience the collector decides (metrics spec §7): an identified user
 * (anonymous visitors only when the nudge says so) in their first N days who has not used the
 * target feature, on one of the plans when plans are set. The page,
 * frequency cap, dismissal and holdout are decided in the browser, which knows them.
 * `featureKnown` is false when the target feature was deleted: nobody is eligible then.
 */
export function serverEligibility(
  nudge: Pick<ActiveNudge, 'id' | 'featureId' | 'audience'>,
  facts: UserFacts,
  nowMs: number,
  timezone: string,
  featureKnown = true,
): EligibilityAnswer {
  const day = dayIndex(facts.firstSeenMs, nowMs, timezone)
  const answer = (reason: EligibilityReason): EligibilityAnswer => ({ nudgeId: nudge.id, eligible: reason === 'eligible', reason, dayIndex: day })
  if (!featureKnown) return answer('feature_missing')
  // Nudges stored before the setting existed have no `anonymous`: identified users only, the default.
  if (!facts.identified && nudge.audience.anonymous !== true) return answer('anonymous')
  if (day >= nudge.audience.firstDays) return answer('not_new')
  if (facts.usedFeatures.has(nudge.featureId)) return answer('used_feature')
  const plans = nudge.audience.plans
  if (plans.length > 0 && (facts.plan === null || !plans.some((p) => normalPlan(p) === normalPlan(facts.plan!)))) return answer('plan')
  return answer('eligible')
}
