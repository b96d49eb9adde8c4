import type { SimConfig } from './config.js'
import { PLANS, type PlanKey } from './catalog.js'
import { Rng, rngFor } from './random.js'

export type BillingPeriod = 'monthly' | 'annual'
export type RenewalOutcome = 'renewed' | 'expanded' | 'contracted' | 'churned'

export interface Contract {
  id: string
  accountId: string
  startDay: number
  /** Day index on which the term ends and the renewal falls due. */
  endDay: number
  billingPeriod: BillingPeriod
  months: number
  seats: number
  amount: number
  outcome?: RenewalOutcome
  newAmount?: number
}

export interface Account {
  index: number
  id: string
  name: string
  plan: PlanKey
  billingPeriod: BillingPeriod
  signupDay: number
  /** How many people the account grows to (some join after the window ends). */
  teamSize: number
  /** Ground truth: this account's people share dashboards (the renewal-driving feature). */
  sharesDashboards: boolean
  /** Ground truth: one seat here is used by several people at once. */
  sharedSeat: boolean
  seats: number
  rng: Rng
  contracts: Contract[]
  /** False between a churn and a reactivation. */
  paying: boolean
  reactivateDay?: number
  lastRenewalFeatureUse: number
  memberLastActive: Map<number, number>
}

const ADJECTIVES = ['Bright', 'Northern', 'Blue', 'Quiet', 'Rapid', 'Silver', 'Clear', 'Bold', 'Golden', 'Open', 'Green', 'Summit']
const NOUNS = ['Harbor', 'Forge', 'Pine', 'Signal', 'Atlas', 'Canyon', 'Lantern', 'Orbit', 'Meadow', 'Beacon', 'Ridge', 'Delta']
const SUFFIXES = ['Labs', 'Systems', 'Group', 'Co', 'Works', 'Studio', 'Partners', 'Logistics', 'Health', 'Energy']

export function accountId(index: number): string {
  return `acct_${String(index + 1).padStart(5, '0')}`
}

export function accountName(rng: Rng): string {
  return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${rng.pick(SUFFIXES)}`
}

/** Accounts sign up over the window, front-loaded so the early weeks already have customers. */
export function signupDay(rng: Rng, days: number): number {
  if (rng.chance(0.25)) return rng.int(0, 6)
  return rng.int(0, Math.max(0, days - 10))
}

export function contractAmount(plan: PlanKey, seats: number, months: number, period: BillingPeriod): number {
  const discount = period === 'annual' ? 0.85 : 1
  return Math.round(PLANS[plan].pricePerSeat * seats * months * discount * 100) / 100
}

/** Builds account `index` from its own random stream. */
export function createAccount(cfg: SimConfig, index: number): Account {
  const rng = rngFor(cfg.seed, 'account', index)
  const plan = rng.weighted<PlanKey>([
    ['starter', 0.45],
    ['team', 0.4],
    ['business', 0.15],
  ])
  const billingPeriod: BillingPeriod = rng.chance(cfg.billing.annualShare) ? 'annual' : 'monthly'
  // Team sizes are skewed: most accounts are small, a few are large.
  const teamSize = Math.max(1, Math.round(cfg.meanTeamSize * rng.logNormal(0.7) * 0.8))
  const initialSeats = Math.max(1, Math.ceil(teamSize * (0.6 + rng.next() * 0.4)))
  return {
    index,
    id: accountId(index),
    name: accountName(rng),
    plan,
    billingPeriod,
    signupDay: signupDay(rng, cfg.days),
    teamSize,
    sharesDashboards: rng.chance(cfg.renewal.accountTrait),
    sharedSeat: rng.chance(cfg.seatSharingShare),
    seats: initialSeats,
    rng,
    contracts: [],
    paying: true,
    lastRenewalFeatureUse: Number.NEGATIVE_INFINITY,
    memberLastActive: new Map(),
  }
}

/**
 * A free workspace of 1 … `maxTeam` people signing up on a day in [fromDay, toDay): no contract,
 * never billed, so it never churns and stays out of the account book.
 */
export function createFreeAccount(cfg: SimConfig, index: number, window: { fromDay: number; toDay: number; maxTeam: number }): Account {
  const rng = rngFor(cfg.seed, 'account', index)
  const teamSize = rng.int(1, window.maxTeam)
  return {
    index,
    id: accountId(index),
    name: accountName(rng),
    plan: 'free',
    billingPeriod: 'monthly',
    signupDay: rng.int(window.fromDay, window.toDay - 1),
    teamSize,
    sharesDashboards: rng.chance(cfg.renewal.accountTrait),
    sharedSeat: false,
    seats: teamSize,
    rng,
    contracts: [],
    paying: true,
    lastRenewalFeatureUse: Number.NEGATIVE_INFINITY,
    memberLastActive: new Map(),
  }
}

export interface RenewalInput {
  billingPeriod: BillingPeriod
  usedRenewalFeature: boolean
  activeUsers: number
  members: number
  seats: number
}

/**
 * The ground-truth renewal rule: whether the account renews depends only on whether its people
 * used the renewal feature in the look-back window; how it renews (seats up or down) follows
 * how many people it has and uses.
 */
export function decideRenewal(
  input: RenewalInput,
  cfg: SimConfig['renewal'],
  draw: number,
): { outcome: RenewalOutcome; seats: number } {
  const p =
    input.billingPeriod === 'monthly'
      ? input.usedRenewalFeature ? cfg.monthlyWith : cfg.monthlyWithout
      : input.usedRenewalFeature ? cfg.annualWith : cfg.annualWithout
  if (draw >= p) return { outcome: 'churned', seats: 0 }
  if (input.members > input.seats) return { outcome: 'expanded', seats: input.members }
  if (input.seats >= 3 && input.activeUsers * 2 < input.seats) {
    return { outcome: 'contracted', seats: Math.max(1, input.activeUsers + 1) }
  }
  return { outcome: 'renewed', seats: input.seats }
}
