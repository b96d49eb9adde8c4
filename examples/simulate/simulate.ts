import { parseSimConfig, type SimConfig, type SimConfigInput } from './config.js'
import { BROWSE_PAGES, PLANS, type PageKey } from './catalog.js'
import { DAY_MS, addMonths, parseDay, weekday } from './dates.js'
import { contractAmount, createAccount, createFreeAccount, decideRenewal, type Account, type Contract } from './accounts.js'
import { createUser, memberJoinDay, returnProbability, type Person, type SimUser } from './users.js'
import { buildSession, type SimSession } from './sessions.js'
import { nudgeVisit, type SimNudge } from './nudges.js'
import { buildGroundTruth, buildAccountBook, type AccountBook, type GroundTruth, type SimTotals } from './ground-truth.js'

/** Visits of two people on one seat count as simultaneous when they overlap this long. */
export const SHARED_OVERLAP_MS = 5 * 60_000

const PASSIVE = new Set(['$pageleave', '$identify', '$group'])

function overlapsAtLeast(sessions: SimSession[], ms: number): boolean {
  // Spans over what a person did while signed in (page leaves and identity events are not activity).
  const spans = sessions.map((s) => {
    const ts = s.events.filter((e) => e.user_id && !PASSIVE.has(e.event)).map((e) => e.timestamp)
    return [Math.min(...ts), Math.max(...ts)] as const
  })
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      if (Math.min(spans[i]![1], spans[j]![1]) - Math.max(spans[i]![0], spans[j]![0]) >= ms) return true
    }
  }
  return false
}

export interface SimResult {
  groundTruth: GroundTruth
  accountBook: AccountBook
}

/**
 * A simulated B2B SaaS history, generated day by day. `sessions()` yields every visit in time
 * order of days; once it is exhausted, `result()` returns the ground truth and the account book
 * (contracts and their renewal outcomes, which depend on the usage generated before them).
 */
export class Simulation {
  readonly cfg: SimConfig
  readonly startMs: number
  readonly accounts: Account[] = []
  readonly users: SimUser[] = []
  private readonly members = new Map<number, SimUser[]>()
  private readonly due = new Map<number, Contract[]>()
  private readonly reactivations = new Map<number, Account[]>()
  private readonly started = new Set<number>()
  private contractSeq = 0
  private finished = false
  readonly totals: SimTotals = {
    accounts: 0, users: 0, events: 0, sessions: 0,
    contractsDue: 0, renewed: 0, expanded: 0, contracted: 0, churned: 0, reactivated: 0,
  }

  constructor(input: SimConfigInput | SimConfig = {}) {
    this.cfg = 'endDate' in input && typeof input.endDate === 'string' && 'activity' in input
      ? (input as SimConfig)
      : parseSimConfig(input as SimConfigInput)
    this.startMs = parseDay(this.cfg.endDate) - this.cfg.days * DAY_MS
    this.populate()
  }

  private populate(): void {
    const { cfg } = this
    for (let i = 0; this.users.length < cfg.users; i++) {
      const account = createAccount(cfg, i)
      const sharedMember = account.sharedSeat ? account.rng.int(0, account.teamSize - 1) : -1
      const list: SimUser[] = []
      for (let m = 0; m < account.teamSize && this.users.length < cfg.users; m++) {
        const joinDay = memberJoinDay(account.rng, account, m, cfg.days)
        if (joinDay >= cfg.days) continue
        const user = createUser(cfg, this.users.length, account, m, joinDay, m === sharedMember)
        this.users.push(user)
        list.push(user)
      }
      this.accounts.push(account)
      this.members.set(account.index, list)
      this.openContract(account, account.signupDay, account.billingPeriod, account.seats)
    }
    if (cfg.freeSignups) this.populateFree(cfg.freeSignups)
    // Stable sort keeps ids in creation order within a day.
    this.users.sort((a, b) => a.joinDay - b.joinDay)
    this.totals.accounts = this.accounts.length
    this.totals.users = this.users.length
  }

  /** Free workspaces after the customers' accounts: their ids and random streams follow on, so the customers' stay as they were. */
  private populateFree(signups: NonNullable<SimConfig['freeSignups']>): void {
    const { cfg } = this
    const toDay = Math.min(signups.toDay, cfg.days)
    if (signups.fromDay >= toDay) return
    let added = 0
    while (added < signups.users) {
      const account = createFreeAccount(cfg, this.accounts.length, { fromDay: signups.fromDay, toDay, maxTeam: signups.maxTeam })
      const list: SimUser[] = []
      for (let m = 0; m < account.teamSize && added < signups.users; m++) {
        const joinDay = Math.min(toDay - 1, account.signupDay + (m === 0 ? 0 : account.rng.int(0, 3)))
        const user = createUser(cfg, this.users.length, account, m, joinDay, false)
        this.users.push(user)
        list.push(user)
        added++
      }
      this.accounts.push(account)
      this.members.set(account.index, list)
    }
  }

  private dayOf(ms: number): number {
    return Math.round((ms - this.startMs) / DAY_MS)
  }

  private openContract(account: Account, startDay: number, period: Account['billingPeriod'], seats: number): Contract {
    const months = period === 'annual' ? 12 : 1
    const endDay = this.dayOf(addMonths(this.startMs + startDay * DAY_MS, months))
    const contract: Contract = {
      id: `ctr_${String(++this.contractSeq).padStart(6, '0')}`,
      accountId: account.id,
      startDay,
      endDay,
      billingPeriod: period,
      months,
      seats,
      amount: contractAmount(account.plan, seats, months, period),
    }
    account.contracts.push(contract)
    account.seats = seats
    const list = this.due.get(endDay) ?? []
    list.push(contract)
    this.due.set(endDay, list)
    return contract
  }

  private renewContracts(d: number): void {
    const { renewal } = this.cfg
    for (const contract of this.due.get(d) ?? []) {
      const account = this.accounts[Number(contract.accountId.slice(5)) - 1]!
      const since = d - renewal.lookbackDays
      let activeUsers = 0
      for (const last of account.memberLastActive.values()) if (last >= since) activeUsers++
      const members = (this.members.get(account.index) ?? []).filter((u) => u.joinDay <= d && this.started.has(u.index)).length
      const decision = decideRenewal(
        {
          billingPeriod: contract.billingPeriod,
          usedRenewalFeature: account.lastRenewalFeatureUse >= since,
          activeUsers,
          members,
          seats: contract.seats,
        },
        renewal,
        account.rng.next(),
      )
      contract.outcome = decision.outcome
      this.totals.contractsDue++
      this.totals[decision.outcome]++
      if (decision.outcome === 'churned') {
        contract.newAmount = 0
        account.paying = false
        if (account.rng.chance(renewal.reactivation)) {
          const back = d + account.rng.int(30, 90)
          const list = this.reactivations.get(back) ?? []
          list.push(account)
          this.reactivations.set(back, list)
        }
      } else {
        contract.newAmount = this.openContract(account, d, contract.billingPeriod, decision.seats).amount
      }
    }
    for (const account of this.reactivations.get(d) ?? []) {
      account.paying = true
      this.totals.reactivated++
      this.openContract(account, d, 'monthly', Math.max(1, account.seats))
    }
  }

  *sessions(): Generator<SimSession> {
    if (this.finished) throw new Error('a simulation runs once')
    let joined = 0
    for (let d = 0; d < this.cfg.days; d++) {
      const dayMs = this.startMs + d * DAY_MS
      const wd = weekday(dayMs)
      const weekend = wd === 0 || wd === 6
      this.renewContracts(d)
      while (joined < this.users.length && this.users[joined]!.joinDay <= d) joined++
      for (let i = 0; i < joined; i++) {
        const user = this.users[i]!
        if (!user.account.paying) continue
        for (const session of this.userDay(user, d, dayMs, weekend)) {
          this.totals.sessions++
          this.totals.events += session.events.length
          yield session
        }
      }
    }
    this.finished = true
  }

  private userDay(user: SimUser, d: number, dayMs: number, weekend: boolean): SimSession[] {
    const k = d - user.joinDay
    if (k === 0) this.started.add(user.index)
    else if (!this.started.has(user.index)) return []
    const { rng } = user
    const active: Person[] = []
    for (const p of user.people) {
      if (k === 0 || rng.chance(returnProbability(this.cfg.activity, k, p.propensity, k >= this.cfg.effectFromDay ? user.multiplier : 1, weekend))) active.push(p)
    }
    if (active.length === 0) return []
    user.activeDays++
    if (k <= 6) user.week1ActiveDays++
    user.lastActiveDay = d
    user.account.memberLastActive.set(user.index, d)

    const sessions: SimSession[] = []
    const running = this.nudgesOn(d, k)
    // People sharing one seat work the same shift: their visits start within minutes of each other.
    const dayHour = Math.min(20, Math.max(6, user.usualHour + rng.normal() * 1.2))
    active.forEach((p, n) => {
      const device = n === 0 && user.secondDevice && k > 0 && rng.chance(0.3) ? user.secondDevice : p
      const features = this.featuresFor(user, k, n === 0)
      if (features.includes(this.cfg.renewal.feature)) user.account.lastRenewalFeatureUse = d
      const hour = user.people.length > 1 ? dayHour + rng.int(-5, 5) / 60 : n === 0 ? dayHour : Math.min(20, Math.max(6, user.usualHour + rng.normal() * 1.2))
      const startMs = dayMs + Math.floor(hour * 3_600_000) + rng.int(0, 59_999)
      const signIn = !device.identified
      device.identified = true
      sessions.push(
        buildSession({
          rng,
          siteUrl: this.cfg.siteUrl,
          startMs,
          anonymousId: device.anonymousId,
          ua: device.ua,
          userId: user.id,
          accountId: user.account.id,
          accountName: user.account.name,
          plan: PLANS[user.account.plan].name,
          admin: user.admin,
          signIn,
          features,
          browse: this.browseFor(user),
          rageClick: rng.chance(0.01),
          ...(running.length
            ? { nudges: nudgeVisit({ running, userId: user.id, lifeDay: k, used: user.used, memory: device.nudges, rng, adopt: (f) => this.adopt(user, f) }) }
            : {}),
        }),
      )
      for (const f of features) user.used.add(f)
    })
    if (sessions.length > 1 && overlapsAtLeast(sessions, SHARED_OVERLAP_MS)) user.sharedDays++
    return sessions
  }

  /** Nudges running on day `d` that a person on day `k` of their life may still be in, ordered by id as the collector lists them. */
  private nudgesOn(d: number, k: number): SimNudge[] {
    const list = this.cfg.nudges.filter((n) => n.fromDay <= d && d < n.toDay && k < n.firstDays)
    return list.length > 1 ? [...list].sort((a, b) => (a.id < b.id ? -1 : 1)) : list
  }

  /** A feature used for the first time outside the first session (a nudge, the confounded feature) is adopted from then on. */
  private adopt(user: SimUser, feature: string): void {
    if (user.adopted.has(feature)) return
    user.adopted.add(feature)
    user.multiplier *= this.cfg.retentionMultipliers[feature] ?? 1
  }

  /** Which features a visit uses; user-level decisions (power, renewal) are taken on the day's first visit only. */
  private featuresFor(user: SimUser, k: number, firstVisitToday: boolean): string[] {
    const { cfg } = this
    const { rng } = user
    const out: string[] = []
    for (const f of user.adopted) if (k === 0 ? firstVisitToday : rng.chance(cfg.reuse)) out.push(f)
    if (!firstVisitToday) return out
    const c = cfg.confounded
    if (c && k < c.days && !user.adopted.has(c.feature) && rng.chance(Math.min(0.9, c.use * user.propensity ** c.exponent))) {
      this.adopt(user, c.feature)
      out.push(c.feature)
    }
    // Power feature: whether a user becomes a power user is decided once, on the day they reach
    // enough active days in their first week, by a chance that depends on nothing else. So among
    // users with that much first-week activity, however much more, adopters and non-adopters are
    // alike: the feature's whole association with retention is first-week activity.
    if (k <= 6 && user.week1ActiveDays === cfg.power.minWeek1ActiveDays) {
      user.powerUser = rng.chance(cfg.power.adoptProbability)
      if (user.powerUser) out.push(cfg.power.feature)
    } else if (user.powerUser && rng.chance(cfg.power.useProbability)) {
      out.push(cfg.power.feature)
    }
    const r = cfg.renewal
    if (rng.chance(user.account.sharesDashboards ? r.useProbability : r.strayUseProbability)) out.push(r.feature)
    // Purchase intent: the admin of an account with more people than seats looks at upgrading.
    if (user.admin && this.crowded(user) && rng.chance(0.08)) out.push('billing.upgrade')
    return out
  }

  private crowded(user: SimUser): boolean {
    let members = 0
    for (const u of this.members.get(user.account.index) ?? []) if (this.started.has(u.index)) members++
    return members > user.account.seats
  }

  private browseFor(user: SimUser): PageKey[] {
    const { rng } = user
    const out: PageKey[] = []
    const n = rng.int(0, 3)
    for (let i = 0; i < n; i++) out.push(rng.pick(BROWSE_PAGES))
    if (rng.chance(user.admin && this.crowded(user) ? 0.25 : 0.01)) out.push('billing')
    if (rng.chance(Math.min(0.3, 0.06 / user.propensity))) out.push('help')
    return out
  }

  result(): SimResult {
    if (!this.finished) throw new Error('run sessions() to the end first')
    return {
      groundTruth: buildGroundTruth(this),
      accountBook: buildAccountBook(this),
    }
  }
}

/** Runs a whole simulation, handing each visit to `sink`; returns the ground truth and account book. */
export async function runSimulation(
  input: SimConfigInput | SimConfig,
  sink: (session: SimSession) => void | Promise<void>,
): Promise<SimResult & { simulation: Simulation }> {
  const simulation = new Simulation(input)
  for (const session of simulation.sessions()) {
    const pending = sink(session)
    if (pending) await pending
  }
  return { ...simulation.result(), simulation }
}
