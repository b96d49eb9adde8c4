import type { SimConfig } from './config.js'
import type { Account } from './accounts.js'
import { USER_AGENTS } from './catalog.js'
import type { NudgeMemory } from './nudges.js'
import { Rng, rngFor } from './random.js'

/** One browser on one machine: its own anonymous id, user agent and activity propensity. */
export interface Person {
  anonymousId: string
  ua: string
  propensity: number
  identified: boolean
  /** This browser's nudge memory (what the SDK keeps in local storage), per nudge id. */
  nudges: Map<string, NudgeMemory>
}

export interface SimUser {
  index: number
  id: string
  account: Account
  /** First member of an account: the admin who signed it up. */
  admin: boolean
  joinDay: number
  rng: Rng
  propensity: number
  /** Features adopted in the first session (drawn independently of propensity). */
  adopted: Set<string>
  /** Product of the retention multipliers of adopted features. */
  multiplier: number
  /** Every feature used so far, on any device: what the collector checks for nudge eligibility. */
  used: Set<string>
  /** Usually one person; several when the seat is shared. */
  people: Person[]
  /** A second device of the same person, used on some days (never at the same time). */
  secondDevice?: Person
  usualHour: number
  activeDays: number
  /** Days on which visits of different people behind this seat overlapped by 5 minutes or more. */
  sharedDays: number
  week1ActiveDays: number
  /** Ground truth: a power user (decided once, on reaching enough first-week active days). */
  powerUser: boolean
  lastActiveDay: number
}

export function userId(index: number): string {
  return `user_${String(index + 1).padStart(6, '0')}`
}

function person(rng: Rng, sigma: number, propensity?: number): Person {
  return {
    anonymousId: `anon_${rng.uuid().replace(/-/g, '').slice(0, 20)}`,
    ua: rng.pick(USER_AGENTS),
    propensity: propensity ?? rng.logNormal(sigma),
    identified: false,
    nudges: new Map(),
  }
}

/** Join day of member `member` of an account: a founding team first, the rest over the following months. */
export function memberJoinDay(rng: Rng, account: Account, member: number, days: number): number {
  if (member === 0) return account.signupDay
  if (rng.chance(0.6)) return account.signupDay + rng.int(0, 10)
  return account.signupDay + rng.int(0, days)
}

export function createUser(
  cfg: SimConfig,
  index: number,
  account: Account,
  member: number,
  joinDay: number,
  seatShared: boolean,
): SimUser {
  const rng = rngFor(cfg.seed, 'user', index)
  const sigma = cfg.activity.propensitySigma
  const main = person(rng, sigma)
  const adopted = new Set<string>()
  let multiplier = 1
  for (const [feature, p] of Object.entries(cfg.adoption)) {
    if (rng.chance(p)) {
      adopted.add(feature)
      multiplier *= cfg.retentionMultipliers[feature] ?? 1
    }
  }
  const people = [main]
  if (seatShared) {
    const extra = rng.int(1, 2)
    for (let i = 0; i < extra; i++) people.push(person(rng, sigma))
  }
  const secondDevice = !seatShared && rng.chance(cfg.activity.secondDeviceShare) ? person(rng, sigma, main.propensity) : undefined
  return {
    index,
    id: userId(index),
    account,
    admin: member === 0,
    joinDay,
    rng,
    propensity: main.propensity,
    adopted,
    multiplier,
    used: new Set(),
    people,
    secondDevice,
    usualHour: rng.int(8, 16),
    activeDays: 0,
    sharedDays: 0,
    week1ActiveDays: 0,
    powerUser: false,
    lastActiveDay: Number.NEGATIVE_INFINITY,
  }
}

/**
 * Probability that a person returns on day `k` after joining (k ≥ 1): a base rate decaying to a
 * floor, scaled by the person's propensity, weekends, and the causal effect of adopted features.
 */
export function returnProbability(
  activity: SimConfig['activity'],
  k: number,
  propensity: number,
  multiplier: number,
  weekend: boolean,
): number {
  const curve = activity.floor + (1 - activity.floor) * Math.exp(-k / activity.decayDays)
  const p = activity.baseDaily * curve * propensity * multiplier * (weekend ? activity.weekendFactor : 1)
  return Math.min(0.97, p)
}
