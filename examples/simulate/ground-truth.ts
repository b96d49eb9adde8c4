import { FEATURES, PLANS, type FeatureMatch, type FeatureRole } from './catalog.js'
import { DAY_MS, formatDay } from './dates.js'
import type { Simulation } from './simulate.js'

export interface SimTotals {
  accounts: number
  users: number
  events: number
  sessions: number
  contractsDue: number
  renewed: number
  expanded: number
  contracted: number
  churned: number
  reactivated: number
}

export interface GroundTruthFeature {
  key: string
  name: string
  role: FeatureRole
  /** Marked with data-feature in the page (true) or left to a retroactive definition. */
  marked: boolean
  match: FeatureMatch
  retentionMultiplier: number
  adopters: number
}

/** What the simulation put into the data, for tests and for people reading the demo's reports. */
export interface GroundTruth {
  seed: number
  startDate: string
  endDate: string
  days: number
  features: GroundTruthFeature[]
  retentionRaising: string[]
  powerUserFeature: string
  renewalFeature: string
  /** Used most by people who return anyway, with no effect (config `confounded`). */
  confoundedFeature: string | null
  /** Nudge experiments in the history: id, target feature and the days they ran. */
  nudges: { id: string; feature: string; fromDay: number; toDay: number }[]
  /** People in free workspaces (config `freeSignups`), part of `totals.users`. */
  freeUsers: number
  sharedSeatUsers: { userId: string; accountId: string; people: number; sharedDays: number }[]
  totals: SimTotals
}

export interface AccountRecord {
  id: string
  name: string
  plan: string
  seats: number
  created_at: string
}

export interface ContractRecord {
  id: string
  account_id: string
  start: string
  end: string
  amount: number
  currency: string
  billing_period: 'monthly' | 'annual'
  seats: number
  /** Set when the term ended inside the simulated window. */
  outcome?: 'renewed' | 'expanded' | 'contracted' | 'churned'
  new_amount?: number
}

export interface AccountBook {
  accounts: AccountRecord[]
  contracts: ContractRecord[]
}

function roleOf(sim: Simulation, key: string): FeatureRole {
  const { cfg } = sim
  if ((cfg.retentionMultipliers[key] ?? 1) > 1) return 'retention'
  if (key === cfg.confounded?.feature) return 'confounded'
  if (key === cfg.power.feature) return 'power'
  if (key === cfg.renewal.feature) return 'renewal'
  if (key === 'billing.upgrade') return 'intent'
  return 'neutral'
}

export function buildGroundTruth(sim: Simulation): GroundTruth {
  const { cfg } = sim
  const adopters = new Map<string, number>()
  for (const u of sim.users) for (const f of u.adopted) adopters.set(f, (adopters.get(f) ?? 0) + 1)
  return {
    seed: cfg.seed,
    startDate: formatDay(sim.startMs),
    endDate: cfg.endDate,
    days: cfg.days,
    features: FEATURES.map((f) => ({
      key: f.key,
      name: f.name,
      role: roleOf(sim, f.key),
      marked: f.element.marked,
      match: f.match,
      retentionMultiplier: cfg.retentionMultipliers[f.key] ?? 1,
      adopters: adopters.get(f.key) ?? 0,
    })),
    retentionRaising: Object.entries(cfg.retentionMultipliers)
      .filter(([, m]) => m > 1)
      .map(([k]) => k),
    powerUserFeature: cfg.power.feature,
    renewalFeature: cfg.renewal.feature,
    confoundedFeature: cfg.confounded?.feature ?? null,
    nudges: cfg.nudges.map((n) => ({ id: n.id, feature: n.feature, fromDay: n.fromDay, toDay: n.toDay })),
    freeUsers: sim.users.filter((u) => u.account.plan === 'free').length,
    sharedSeatUsers: sim.users
      .filter((u) => u.people.length > 1)
      .map((u) => ({ userId: u.id, accountId: u.account.id, people: u.people.length, sharedDays: u.sharedDays })),
    totals: { ...sim.totals },
  }
}

export function buildAccountBook(sim: Simulation): AccountBook {
  const day = (d: number) => formatDay(sim.startMs + d * DAY_MS)
  const accounts: AccountRecord[] = []
  const contracts: ContractRecord[] = []
  for (const a of sim.accounts) {
    // Free workspaces have no contract: the billing system, and so the book, does not know them.
    if (a.contracts.length === 0) continue
    accounts.push({ id: a.id, name: a.name, plan: PLANS[a.plan].name, seats: a.seats, created_at: day(a.signupDay) })
    for (const c of a.contracts) {
      const record: ContractRecord = {
        id: c.id,
        account_id: c.accountId,
        start: day(c.startDay),
        end: day(c.endDay),
        amount: c.amount,
        currency: sim.cfg.billing.currency,
        billing_period: c.billingPeriod,
        seats: c.seats,
      }
      if (c.outcome) {
        record.outcome = c.outcome
        record.new_amount = c.newAmount ?? 0
      }
      contracts.push(record)
    }
  }
  return { accounts, contracts }
}
