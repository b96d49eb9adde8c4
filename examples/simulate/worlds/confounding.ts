import { DAY_MS, parseDay } from '../dates.js'
import { rngFor, type Rng } from '../random.js'
import type { SimEvent, SimSession } from '../sessions.js'

/**
 * Small worlds with known confounding for the high-retention report (metrics spec §4), apart
 * from the demo's default world. Every person has a hidden propensity h (log-normal, median 1)
 * that scales their daily return probability on every day; big accounts retain better; a feature
 * either does nothing (null) or multiplies its adopters' daily return probability from day 7 on.
 * Who adopts a feature is what makes the worlds hard:
 *
 * - `propensity`: null features used on first-week active days with probability ∝ h^s, s = 1, 2, 3;
 * - `big-accounts`: a null feature used mostly by people of accounts of 15 people or more;
 * - `after-active-days`: a null feature reachable only from the 3rd active day on;
 * - `effects-random`: true effects ×1.3, ×1.6, ×2.0 with adopters drawn at random;
 * - `effects-heavy`: the same effects with adopters drawn ∝ h² (heavy users);
 * - `launch-date`: the product gets better over the join range (later cohorts return more), and a
 *   null feature ships halfway through it, so only people in their first week after the launch
 *   can use it;
 * - `plan`: a quarter of the accounts are on the enterprise plan (sent as a `group` trait, as the
 *   SDK does) and their people return more; a null feature is used mostly by them;
 * - `acquisition`: people on phones and people brought by a paid campaign (its UTM source on their
 *   first page view; the others come from a search engine) are as active as anyone in their first
 *   week but return less after it, and a null feature is used mostly by desktop people who found
 *   the product themselves;
 * - `role`: three in ten people are admins (a `role` trait sent by identify, as the SDK does, beside
 *   an email); admins are as active as anyone in their first week but return more after it, and a
 *   null feature is used mostly by them;
 * - `bundled`: a true effect of ×2.0 with adopters drawn at random on their first day, and a null
 *   feature used mostly by those adopters on their later first-week days (a settings page of the
 *   feature that works, say): its adopters retain better only because they use the other one;
 * - `team`: each account has its own hidden pull on every member's return (log-normal, median 1),
 *   and a null feature is switched on for whole accounts (a tenth of them, drawn at random) and used
 *   by their members: its adopters are a few teams, not independent people;
 * - `weekday`: people come back far less on Saturdays and Sundays, and a null feature is used on
 *   the first day by people who start on a weekday (a call with the onboarding team, say): their
 *   day 14 is a weekday too;
 * - `established`: people who join an account five days or more after its first member return
 *   more (the team has set the product up), and a null feature is used mostly by them (shared
 *   dashboards the team built, say);
 * - `browser`: a third of people use Safari on a Mac, which the product works worse on: they are
 *   as active as anyone in their first week but return less after it, and a null feature is used
 *   mostly by the others (it hardly works in Safari);
 * - `invited`: half of the people who join an account after its first member sign up through an
 *   invitation a teammate sent (they land on `/invite/<token>`, each on their own token) and return
 *   more after their first week; a null feature is used mostly by them;
 * - `personal-email`: a third of people sign up with a personal address (an identify call sends
 *   it) and return less after their first week; a null feature is used mostly by the others;
 * - `industry`: accounts are software or retail companies (a `group` trait); software people return
 *   more after their first week, and a null feature is used mostly by them;
 * - `employees`: each account's company size is sent as a number `group` trait (5 to 5,000
 *   employees, whatever the number of its people using the product); people of companies of 500
 *   or more return more after their first week, and a null feature is used mostly by them;
 * - `hours`: a third of people use the product in the evening (trying it for themselves, say) and
 *   return less after their first week; a null feature is used mostly by the others, who use it
 *   in working hours.
 *
 * Every world also has ten placebo features used at random. Features are custom events
 * `feature:<id>` (a feature definition with an `event` rule).
 */
export type WorldKind = 'propensity' | 'big-accounts' | 'after-active-days' | 'effects-random' | 'effects-heavy' | 'launch-date' | 'plan' | 'acquisition' | 'role' | 'bundled' | 'team' | 'weekday' | 'established' | 'browser' | 'invited' | 'personal-email' | 'industry' | 'employees' | 'hours'
export const WORLD_KINDS: readonly WorldKind[] = ['propensity', 'big-accounts', 'after-active-days', 'effects-random', 'effects-heavy', 'launch-date', 'plan', 'acquisition', 'role', 'bundled', 'team', 'weekday', 'established', 'browser', 'invited', 'personal-email', 'industry', 'employees', 'hours']

export interface WorldFeature {
  id: string
  /** True multiplier of the adopters' daily return from day 7 on (1 = null). */
  effect: number
  /** Per first-week active day (index `day`, `activeSoFar` active days including this one, features adopted on earlier days): chance of use. */
  use: (p: WorldPerson, day: number, activeSoFar: number, adopted: ReadonlySet<string>) => number
}

export interface WorldPerson {
  id: string
  joinDay: number
  h: number
  account: string
  accountSize: number
  /** How much better the product was when the person joined (1 but in the `launch-date` world). */
  cohort: number
  /** The account's plan ('' but in the `plan` world). */
  plan: string
  /** Phone or desktop, and a paid campaign or a search engine ('desktop' and '' but in the `acquisition` world). */
  device: 'phone' | 'desktop'
  source: 'campaign' | 'search' | ''
  /** 'admin' or 'member' in the `role` world, '' elsewhere (no identify traits sent). */
  role: 'admin' | 'member' | ''
  /** The account's hidden pull on its members' return (1 but in the `team` world), and whether the account has the feature switched on. */
  team: number
  rollout: boolean
  /** Whether the person's first day is a Saturday or Sunday (UTC). */
  weekendStart: boolean
  /** In the `established` world: the person's account had been active for five days or more when they joined it. */
  joinsSettledTeam: boolean
  /** In the `browser` world: the person uses Safari on a Mac (everyone else, Chrome). */
  safari: boolean
  /** In the `invited` world: the token of the invitation the person signed up through ('' when they came on their own). */
  invite: string
  /** In the `personal-email` world: the person signed up with a personal address (else with their company's). */
  personalEmail: boolean
  /** The address an identify call sends when they first sign in ('' but in the `personal-email` world). */
  email: string
  /** The account's industry, sent as a `group` trait ('' but in the `industry` world). */
  industry: 'software' | 'retail' | ''
  /** The company's employees, sent as a number `group` trait (0 but in the `employees` world). */
  employees: number
  /** In the `hours` world: the person uses the product in the evening (everyone else, in working hours). */
  evening: boolean
}

export interface WorldSpec {
  kind: WorldKind
  seed: number
  users: number
  /** Joins happen on days 0 … joinDays−1; the history runs `days` days, ending the day before `endDate`. */
  joinDays: number
  days: number
  endDate: string
  features: WorldFeature[]
}

const EFFECTS = [1.3, 1.6, 2.0]
const BIG = 15
const JOIN_DAYS = 20
/** The `launch-date` world's launch: the middle of the join range. */
const LAUNCH_DAY = JOIN_DAYS / 2
const ENTERPRISE = 'enterprise'

function placebos(): WorldFeature[] {
  return Array.from({ length: 10 }, (_, i) => ({ id: `placebo-${i + 1}`, effect: 1, use: () => 0.06 }))
}

function featuresOf(kind: WorldKind): WorldFeature[] {
  switch (kind) {
    case 'propensity':
      return [1, 2, 3].map((s) => ({ id: `null-propensity-${s}`, effect: 1, use: (p) => Math.min(0.9, 0.06 * p.h ** s) }))
    case 'big-accounts':
      return [{ id: 'null-big-accounts', effect: 1, use: (p) => (p.accountSize >= BIG ? 0.35 : 0.01) }]
    case 'after-active-days':
      return [{ id: 'null-after-3-days', effect: 1, use: (_p, _d, active) => (active >= 3 ? 0.5 : 0) }]
    case 'effects-random':
      return EFFECTS.map((e) => ({ id: `effect-${e.toFixed(1).replace(".", "_")}-random`, effect: e, use: (_p, day) => (day === 0 ? 0.3 : 0) }))
    case 'effects-heavy':
      return EFFECTS.map((e) => ({ id: `effect-${e.toFixed(1).replace(".", "_")}-heavy`, effect: e, use: (p) => Math.min(0.9, 0.08 * p.h ** 2) }))
    case 'launch-date':
      return [{ id: 'null-launched-mid-range', effect: 1, use: (p, day) => (p.joinDay + day >= LAUNCH_DAY ? 0.3 : 0) }]
    case 'plan':
      return [{ id: 'null-enterprise-plan', effect: 1, use: (p) => (p.plan === ENTERPRISE ? 0.3 : 0.02) }]
    case 'acquisition':
      return [{ id: 'null-desktop-search', effect: 1, use: (p) => (p.device === 'desktop' && p.source === 'search' ? 0.3 : 0.03) }]
    case 'role':
      return [{ id: 'null-admin', effect: 1, use: (p) => (p.role === 'admin' ? 0.3 : 0.03) }]
    case 'bundled':
      return [
        { id: 'effect-2_0-bundle', effect: 2, use: (_p, day) => (day === 0 ? 0.3 : 0) },
        { id: 'null-bundled', effect: 1, use: (_p, _day, _active, adopted) => (adopted.has('effect-2_0-bundle') ? 0.5 : 0.01) },
      ]
    case 'team':
      return [{ id: 'null-team-rollout', effect: 1, use: (p) => (p.rollout ? 0.5 : 0.005) }]
    case 'invited':
      return [{ id: 'null-invited', effect: 1, use: (p) => (p.invite !== '' ? 0.4 : 0.03) }]
    case 'employees':
      return [{ id: 'null-large-companies', effect: 1, use: (p) => (p.employees >= LARGE_COMPANY ? 0.3 : 0.03) }]
    case 'industry':
      return [{ id: 'null-software-companies', effect: 1, use: (p) => (p.industry === 'software' ? 0.3 : 0.03) }]
    case 'personal-email':
      return [{ id: 'null-work-email', effect: 1, use: (p) => (p.personalEmail ? 0.03 : 0.3) }]
    case 'browser':
      return [{ id: 'null-chrome-only', effect: 1, use: (p) => (p.safari ? 0.03 : 0.3) }]
    case 'established':
      return [{ id: 'null-settled-teams', effect: 1, use: (p) => (p.joinsSettledTeam ? 0.4 : 0.02) }]
    case 'hours':
      return [{ id: 'null-working-hours', effect: 1, use: (p) => (p.evening ? 0.03 : 0.3) }]
    case 'weekday':
      return [{ id: 'null-weekday-onboarding', effect: 1, use: (p, day) => (day === 0 && !p.weekendStart ? 0.6 : 0.01) }]
  }
}

export function worldSpec(kind: WorldKind, seed: number, users = 2400): WorldSpec {
  return { kind, seed, users, joinDays: JOIN_DAYS, days: 45, endDate: '2025-03-01', features: [...featuresOf(kind), ...placebos()] }
}

/** Whether day `d` of the world's history is a Saturday or Sunday (UTC). */
function isWeekend(spec: WorldSpec, d: number): boolean {
  const wd = new Date(parseDay(spec.endDate) - (spec.days - d) * DAY_MS).getUTCDay()
  return wd === 0 || wd === 6
}

/** In the `established` world, days an account has been active before a newcomer counts as settled. */
const SETTLED_DAYS = 5

/** In the `employees` world, the employees from which a company is large (its people return more). */
const LARGE_COMPANY = 500

/** In the `weekday` world people come back far less on Saturdays and Sundays. */
const WEEKEND_RETURN = 0.25

/** Daily return probability on day k ≥ 1 after joining, before feature effects. */
export function baseReturn(p: WorldPerson, k: number): number {
  const account = (p.accountSize >= BIG ? 1.35 : 1) * (p.plan === ENTERPRISE ? 1.4 : 1)
  // Phone, campaign and Safari people try the product as much as anyone in their first week, then drift away; admins stay.
  const later = k >= 7 ? (p.employees >= LARGE_COMPANY ? 1.6 : 1) * (p.industry === 'software' ? 1.6 : 1) * (p.personalEmail ? 0.55 : 1) * (p.evening ? 0.55 : 1) * (p.invite !== '' ? 1.6 : 1) * (p.safari ? 0.55 : 1) * (p.device === 'phone' ? 0.6 : 1) * (p.source === 'campaign' ? 0.6 : 1) * (p.role === 'admin' ? 2 : 1) : 1
  return 0.42 * (p.joinsSettledTeam ? 1.6 : 1) * p.h * p.team * account * later * p.cohort * (0.55 + 0.45 * Math.exp(-k / 8))
}

export function people(spec: WorldSpec, rng: Rng): WorldPerson[] {
  const out: WorldPerson[] = []
  let a = 0
  while (out.length < spec.users) {
    // Many small accounts, a few big ones (sizes 1–40).
    const size = rng.chance(0.12) ? rng.int(BIG, 40) : rng.int(1, 6)
    const account = `acct_${++a}`
    const plan = spec.kind === 'plan' ? (rng.chance(0.25) ? ENTERPRISE : 'starter') : ''
    const industry = spec.kind === 'industry' ? (rng.chance(0.4) ? 'software' : 'retail') : ''
    // From 5 to 5,000 employees, as many companies in each tenfold range; how many people use the product is another matter.
    const employees = spec.kind === 'employees' ? Math.round(5 * 10 ** (3 * rng.next())) : 0
    // Drawn only in that world, as the others below, so the other worlds draw the same numbers as before.
    const teamWorld = spec.kind === 'team'
    const team = teamWorld ? rng.logNormal(0.7) : 1
    const rollout = teamWorld && rng.chance(0.1)
    for (let m = 0; m < size && out.length < spec.users; m++) {
      const joinDay = rng.int(0, spec.joinDays - 1)
      // Later cohorts return more: from ×0.75 for the first join day to ×1.25 for the last.
      const cohort = spec.kind === 'launch-date' ? 0.75 + (0.5 * joinDay) / Math.max(1, spec.joinDays - 1) : 1
      const h = rng.logNormal(0.6)
      // Drawn only in that world, so the others draw the same numbers as before.
      const acquisition = spec.kind === 'acquisition'
      const device = acquisition && rng.chance(0.35) ? 'phone' : 'desktop'
      const source = acquisition ? (rng.chance(0.3) ? 'campaign' : 'search') : ''
      const role = spec.kind === 'role' ? (rng.chance(0.3) ? 'admin' : 'member') : ''
      const safari = spec.kind === 'browser' && rng.chance(0.35)
      const personalEmail = spec.kind === 'personal-email' && rng.chance(0.35)
      const evening = spec.kind === 'hours' && rng.chance(0.35)
      const invite = spec.kind === 'invited' && m > 0 && rng.chance(0.5) ? rng.uuid().slice(0, 12) : ''
      out.push({ id: `u${a}_${m}`, joinDay, h, account, accountSize: size, cohort, plan, device, source, role, team, rollout, weekendStart: isWeekend(spec, joinDay), joinsSettledTeam: false, safari, invite, personalEmail, email: spec.kind === 'personal-email' ? `u${a}_${m}@${personalEmail ? 'gmail.com' : `${account.replace('_', '-')}.example`}` : '', industry, employees, evening })
    }
  }
  // The size the report can see: members in the data.
  const seen = new Map<string, number>()
  for (const p of out) seen.set(p.account, (seen.get(p.account) ?? 0) + 1)
  for (const p of out) p.accountSize = seen.get(p.account)!
  if (spec.kind === 'established') {
    const firstDay = new Map<string, number>()
    for (const p of out) firstDay.set(p.account, Math.min(firstDay.get(p.account) ?? p.joinDay, p.joinDay))
    for (const p of out) p.joinsSettledTeam = p.joinDay - firstDay.get(p.account)! >= SETTLED_DAYS
  }
  return out
}

export interface WorldTruth {
  features: { id: string; effect: number; adopters: number }[]
}

/**
 * The world's visits, person by person (order does not matter to the store), and, once the
 * generator is exhausted, the ground truth in `truth`.
 */
export function* worldSessions(spec: WorldSpec, truth: WorldTruth): Generator<SimSession> {
  const rng = rngFor(spec.seed, 'world', spec.kind)
  const startMs = parseDay(spec.endDate) - spec.days * DAY_MS
  const adopters = new Map<string, number>(spec.features.map((f) => [f.id, 0]))
  for (const p of people(spec, rng)) {
    const adopted = new Set<string>()
    let active = 0
    for (let d = p.joinDay; d < spec.days; d++) {
      const k = d - p.joinDay
      let mult = 1
      if (k >= 7) for (const f of spec.features) if (adopted.has(f.id)) mult *= f.effect
      const weekend = spec.kind === 'weekday' && isWeekend(spec, d) ? WEEKEND_RETURN : 1
      if (k > 0 && !rng.chance(Math.min(0.95, baseReturn(p, k) * mult * weekend))) continue
      active += 1
      const used = k < 7 ? spec.features.filter((f) => rng.chance(f.use(p, k, active, adopted))) : spec.features.filter((f) => adopted.has(f.id) && rng.chance(0.3))
      for (const f of used) {
        if (!adopted.has(f.id) && k < 7) adopters.set(f.id, adopters.get(f.id)! + 1)
        adopted.add(f.id)
      }
      yield* daySessions(rng, p, startMs + d * DAY_MS, used.map((f) => f.id), k === 0 && (p.plan !== '' || p.industry !== '' || p.employees > 0), k === 0)
    }
  }
  truth.features = spec.features.map((f) => ({ id: f.id, effect: f.effect, adopters: adopters.get(f.id)! }))
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'
const SAFARI_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

/** How the person's very first page view arrived: a campaign's UTM source, or a search engine's referrer. */
function landing(p: WorldPerson): { url: string; referrer: string | null } {
  if (p.invite !== '') return { url: `https://app.example.com/invite/${p.invite}`, referrer: null }
  if (p.source === 'campaign') return { url: 'https://app.example.com/home?utm_source=spring-campaign&utm_medium=cpc', referrer: null }
  if (p.source === 'search') return { url: 'https://app.example.com/home', referrer: 'https://www.google.com/' }
  return { url: 'https://app.example.com/home', referrer: null }
}

/**
 * One to three visits on a day: page views, and the features used as custom events. The hidden
 * propensity also shows in how much people do on a day (more visits and pages), as it does in
 * products; how much it shows is what an adjustment on first-week volume can use.
 */
function* daySessions(rng: Rng, p: WorldPerson, dayMs: number, features: string[], group: boolean, first: boolean): Generator<SimSession> {
  const more = Math.min(0.45, 0.2 * p.h)
  const visits = 1 + (rng.chance(more) ? 1 : 0) + (rng.chance(more) ? 1 : 0)
  for (let v = 0; v < visits; v++) {
    // Working hours (8:00, 12:00, 16:00 UTC), or the evening (18:00, 20:00, 22:00) in the `hours` world.
    let t = dayMs + (p.evening ? 18 + v * 2 : 8 + v * 4) * 3_600_000 + rng.int(0, 3_000_000)
    const session = `s_${rng.uuid().slice(0, 13)}`
    const events: SimEvent[] = []
    const push = (event: string, properties: Record<string, unknown> = {}, at = { url: 'https://app.example.com/home', referrer: null as string | null }) => {
      events.push({
        uuid: rng.uuid(), event, timestamp: t, anonymous_id: `anon_${p.id}`, user_id: p.id, account_id: p.account, session_id: session,
        url: at.url, referrer: at.referrer, title: 'Home', feature_key: null, elements: null, properties,
      })
      t += rng.int(5_000, 60_000)
    }
    // The account's plan as the SDK's group() sends it, once, when the person first signs in.
    if (group && v === 0) push('$group', { ...(p.plan !== '' ? { plan: p.plan } : {}), ...(p.industry !== '' ? { industry: p.industry } : {}), ...(p.employees > 0 ? { employees: p.employees } : {}) })
    // Who the person is, as the SDK's identify() sends it when they first sign in.
    if (first && v === 0 && p.role !== '') push('$identify', { role: p.role, email: `${p.id}@example.com` })
    if (first && v === 0 && p.email !== '') push('$identify', { email: p.email })
    const views = 1 + rng.int(0, Math.max(1, Math.round(3 * p.h)))
    for (let i = 0; i < views; i++) push('$pageview', {}, first && v === 0 && i === 0 ? landing(p) : undefined)
    if (v === 0) for (const f of features) push(`feature:${f}`)
    yield { ua: p.device === 'phone' ? PHONE_UA : p.safari ? SAFARI_UA : UA, events }
  }
}
