/**
 * First-window covariates of the high-retention report (metrics spec §4), coded once per report:
 * each eligible person gets small integer codes, and a feature's comparison only adds how many
 * *other* features the person used. Codes become dummy columns, so a person's covariate vector
 * is fixed by a handful of codes and people with equal codes form one cell of the models.
 */

/** One eligible new person, as the people query returns them. */
export interface PersonRow {
  retained: boolean
  /** Active days, active days among the window's last three (day 0 aside), events and sessions in days 0…window−1. */
  active: number
  late: number
  events: number
  sessions: number
  /** Feature positions (0-based in the report's feature list) first used in the window. */
  used: number[]
  /** People active in the person's account (0 without one); imported plan ('' unknown). */
  accountSize: number
  plan: string
  /** Days from the report's `from` to the person's day 0. */
  joined: number
  /** Day of the week of day 0 in the report's zone (0 = Monday … 6 = Sunday). */
  weekday: number
  /** The part of the day most of their events in the window fell in, in the report's zone ('' none). */
  dayPart: string
  /** Device type and source (UTM source, else referring domain) of the first page view, when in the window ('' unknown or direct). */
  device: string
  source: string
  /** Browser and operating system of the first page view, when in the window ('' unknown). */
  client: string
  /** Country of the first page view's client address, when in the window ('' unknown). */
  country: string
  /** Path of the first page view with its ids folded (see `pathPattern`), when in the window. */
  landing: string
  /** No one of the person's account was active before them (false without an account). */
  founder: boolean
  /** Days the person's account had been active before their day 0 (0 without an account). */
  accountAge: number
  /** Text and true/false traits sent by identify calls by the end of the window. */
  traits: Record<string, string>
  /** Text and true/false traits of the person's account sent by group calls by then, but its plan (a covariate of its own). */
  accountTraits: Record<string, string>
  /** Number traits of identify and group calls by then (a company's employees, seats), by covariate name. */
  measures: Record<string, number>
}

export interface Population {
  size: number
  retained: Uint8Array
  /**
   * Each person's covariates other than event volume and "other features used", as the id of their
   * combination of codes: ids count combinations, where a product of every block's radix would
   * outgrow a number's exact integers once a report has many covariates.
   */
  base: Int32Array
  /** Per id of `base`: the code of each block before event volume (flat, `eventsBlock` codes an id). */
  baseCodes: Int32Array
  /** Events in the window, and the cut points of the event-volume buckets. */
  events: Float64Array
  eventCuts: number[]
  /** How many of the report's features each person used in the window. */
  featuresUsed: Int32Array
  /** Dummy columns of a cell key (see `cellKey`), built once per key. */
  rows: Map<number, Float64Array>
  columns: number
  /** Exact active days in the window − 1, what each placebo is matched on. */
  activity: Int32Array
  /** Names of the covariates, for the report. */
  covariates: string[]
  /** Per block of the base code: its radix and first column. */
  blocks: { radix: number; levels: number; offset: number }[]
  /** Index in `blocks` of event volume, after the base code's blocks. */
  eventsBlock: number
}

const OTHER_LEVELS = 5
/** At most this many identify traits become covariates, each with at most 10 values. */
const MAX_TRAITS = 3
const MAX_TRAIT_VALUES = 10

/** Bucket of `v` among `cuts` (ascending distinct thresholds): how many cuts are ≤ v. */
function bucketOf(v: number, cuts: readonly number[]): number {
  let b = 0
  while (b < cuts.length && v >= cuts[b]!) b++
  return b
}

/** Up to `k − 1` distinct cut points at the quantiles of `values` (ties collapse buckets). */
export function quantileCuts(values: readonly number[], k: number): number[] {
  if (values.length === 0) return []
  const sorted = [...values].sort((a, b) => a - b)
  const cuts = new Set<number>()
  for (let j = 1; j < k; j++) {
    const v = sorted[Math.floor((j * sorted.length) / k)]!
    if (v > sorted[0]!) cuts.add(v)
  }
  return [...cuts].sort((a, b) => a - b)
}

const SIZE_CUTS = [1, 2, 6, 21]
/** Days an account had been active before a person's day 0: the same day, under a week, under four weeks, longer. */
const AGE_CUTS = [1, 7, 28]

export function codePopulation(rows: readonly PersonRow[], window: number): Population {
  const n = rows.length
  const eventCuts = quantileCuts(rows.map((r) => r.events), 5)
  const sessionCuts = quantileCuts(rows.map((r) => r.sessions), 4)
  const joinCuts = quantileCuts(rows.map((r) => r.joined), 4)
  const weekdays = otherThanCommonest(rows.map((r) => String(r.weekday)), 6)
  const dayParts = otherThanCommonest(rows.map((r) => r.dayPart), 3)
  const plans = topPlans(rows)
  const devices = otherThanCommonest(rows.map((r) => r.device))
  const clients = otherThanCommonest(rows.map((r) => r.client))
  const sources = otherThanCommonest(rows.map((r) => r.source))
  const countries = otherThanCommonest(rows.map((r) => r.country))
  const landings = otherThanCommonest(rows.map((r) => r.landing))
  const traits = categoricalTraits(rows, (r) => r.traits).map((key) => ({ key, levels: otherThanCommonest(rows.map((r) => r.traits[key] ?? '')) }))
  const accountTraits = categoricalTraits(rows, (r) => r.accountTraits).map((key) => ({ key, levels: otherThanCommonest(rows.map((r) => r.accountTraits[key] ?? '')) }))
  const measures = measuredTraits(rows)
  const hasAccounts = rows.some((r) => r.accountSize > 0)
  const founders = rows.filter((r) => r.founder).length
  const hasFounders = Math.min(founders, rows.length - founders) >= Math.max(1, rows.length / 100)
  const ageCuts = hasAccounts ? populatedCuts(rows.filter((r) => r.accountSize > 0).map((r) => r.accountAge), AGE_CUTS, rows.length) : []
  // How recently someone was active says more about their pace than the count alone.
  const lateLevels = Math.min(3, window - 1)
  const named = [
    { name: 'active days in the window (exact)', levels: window - 1 },
    { name: 'active days among the last three of the window (0–3)', levels: lateLevels },
    { name: 'sessions in the window (quartiles)', levels: sessionCuts.length },
    { name: 'account size (people: none, 1, 2–5, 6–20, 21+)', levels: hasAccounts ? SIZE_CUTS.length : 0 },
    { name: 'account plan', levels: plans.length },
    // Who sets an account up and who is invited to it use a product differently.
    { name: 'first of their account to be active', levels: hasFounders ? 1 : 0 },
    // Who joins a team long at work finds it set up (data in, habits formed) and uses what it uses.
    { name: `days their account had been active before day 0 (${ageLabels(ageCuts)})`, levels: ageCuts.length },
    // Cohorts differ (a release, a campaign, the season) and a feature shipped mid-range is only used by the later ones.
    { name: 'day joined within the range (quartiles)', levels: joinCuts.length },
    // Day N falls on the weekday of day 0 shifted by N: who starts on a Friday is asked to come back
    // on another day of the week than who starts on a Monday, and a feature used on weekdays only
    // (a call with the onboarding team, say) is used by those who start on one.
    { name: 'day of the week of day 0', levels: weekdays.length },
    // Who uses a product in working hours and who in the evening often use it for different
    // reasons (a job, a side project), and reach for different parts of it.
    { name: 'part of the day most of their activity in the window fell in (night, morning, afternoon, evening)', levels: dayParts.length },
    // Where people come from and what they use shape both what they can reach and how they return.
    { name: 'device type of the first page view', levels: devices.length },
    // A browser or system the product works worse on loses people, and some features do not reach it.
    { name: 'browser and operating system of the first page view', levels: clients.length },
    { name: 'source of the first page view (UTM source, else referring domain)', levels: sources.length },
    // Markets differ in how they take to a product and in what they can use (language, payment, law).
    { name: 'country of the first page view', levels: countries.length },
    // Where people land (the docs, the pricing page, an invitation) says what brought them.
    { name: 'path of the first page view', levels: landings.length },
    // A person's kind (role, team, seniority) shapes what they need and how long they stay.
    ...traits.map((t) => ({ name: `identify trait "${t.key}"`, levels: t.levels.length })),
    // So is the kind of company (its industry, its segment), sent by group calls.
    ...accountTraits.map((t) => ({ name: `account trait "${t.key}"`, levels: t.levels.length })),
    // A number sent as a trait (employees, seats) is a size: its round-number buckets, and whether it was sent.
    ...measures.map((m) => ({ name: `${m.name} (${bucketLabels(m.cuts)}${m.everyone ? '' : ', or not sent'})`, levels: m.cuts.length + (m.everyone ? 0 : 1) })),
    { name: "events in the window, the feature's own left out (quintiles)", levels: eventCuts.length },
    { name: 'other features used in the window (0, 1, 2, 3, 4, 5+)', levels: OTHER_LEVELS },
  ]
  let columns = 0
  const blocks = named.map((b) => {
    const block = { radix: b.levels + 1, levels: b.levels, offset: columns }
    columns += b.levels
    return block
  })
  const retained = new Uint8Array(n)
  const base = new Int32Array(n)
  const combinations = new Map<string, number>()
  const baseCodes: number[] = []
  const events = new Float64Array(n)
  const activity = new Int32Array(n)
  const featuresUsed = new Int32Array(n)
  rows.forEach((r, i) => {
    retained[i] = r.retained ? 1 : 0
    featuresUsed[i] = r.used.length
    events[i] = r.events
    const codes = [
      Math.min(Math.max(r.active, 1), window) - 1,
      Math.min(r.late, lateLevels),
      bucketOf(r.sessions, sessionCuts),
      hasAccounts ? bucketOf(r.accountSize, SIZE_CUTS) : 0,
      plans.indexOf(r.plan) + 1,
      hasFounders && r.founder ? 1 : 0,
      r.accountSize > 0 ? bucketOf(r.accountAge, ageCuts) : 0,
      bucketOf(r.joined, joinCuts),
      weekdays.indexOf(String(r.weekday)) + 1,
      dayParts.indexOf(r.dayPart) + 1,
      devices.indexOf(r.device) + 1,
      clients.indexOf(r.client) + 1,
      sources.indexOf(r.source) + 1,
      countries.indexOf(r.country) + 1,
      landings.indexOf(r.landing) + 1,
      ...traits.map((t) => t.levels.indexOf(r.traits[t.key] ?? '') + 1),
      ...accountTraits.map((t) => t.levels.indexOf(r.accountTraits[t.key] ?? '') + 1),
      ...measures.map((m) => {
        const v = r.measures[m.name]
        return v === undefined ? 0 : bucketOf(v, m.cuts) + (m.everyone ? 0 : 1)
      }),
    ]
    const combination = codes.join(',')
    let id = combinations.get(combination)
    if (id === undefined) {
      id = combinations.size
      combinations.set(combination, id)
      baseCodes.push(...codes)
    }
    base[i] = id
    activity[i] = codes[0]!
  })
  const covariates = named.filter((b) => b.levels > 0).map((b) => b.name)
  return { size: n, retained, base, baseCodes: Int32Array.from(baseCodes), events, eventCuts, featuresUsed, rows: new Map(), columns, activity, covariates, blocks, eventsBlock: named.length - 2 }
}

/**
 * The cell of person `i` for one comparison: `ownEvents` of their events were use of the feature
 * compared (left out of the volume), and `ownFeature` = 1 when that feature is one of those they
 * used (left out of "other features").
 */
export function cellKey(pop: Population, i: number, ownEvents: number, ownFeature: 0 | 1): number {
  const eventsBlock = pop.blocks[pop.eventsBlock]!
  const level = Math.min(pop.featuresUsed[i]! - ownFeature, OTHER_LEVELS)
  return (pop.base[i]! * eventsBlock.radix + bucketOf(pop.events[i]! - ownEvents, pop.eventCuts)) * (OTHER_LEVELS + 1) + level
}

/** The dummy columns of a cell key. */
export function cellRow(pop: Population, key: number): Float64Array {
  const cached = pop.rows.get(key)
  if (cached) return cached
  const v = new Float64Array(pop.columns)
  const set = (block: Population['blocks'][number], c: number) => {
    if (c > 0 && c <= block.levels) v[block.offset + c - 1] = 1
  }
  // The key is (base id · events radix + events bucket) · other radix + other level: see cellKey.
  let rest = key
  for (let b = pop.blocks.length - 1; b >= pop.eventsBlock; b--) {
    const block = pop.blocks[b]!
    const c = rest % block.radix
    rest = (rest - c) / block.radix
    set(block, c)
  }
  for (let b = 0; b < pop.eventsBlock; b++) set(pop.blocks[b]!, pop.baseCodes[rest * pop.eventsBlock + b]!)
  pop.rows.set(key, v)
  return v
}

/** The plans held by at least 1% of people (at most 5), as dummy levels; '' is never one. */
function topPlans(rows: readonly PersonRow[]): string[] {
  const counts = new Map<string, number>()
  for (const r of rows) if (r.plan) counts.set(r.plan, (counts.get(r.plan) ?? 0) + 1)
  return [...counts]
    .filter(([, c]) => c >= Math.max(1, rows.length / 100))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([p]) => p)
}

/**
 * The traits (of `of`: identify or group calls) that name a kind of person or company: held by at
 * least a tenth of people, with 2 to 10 values (an email or a name has as many values as people),
 * the most widely held first.
 */
function categoricalTraits(rows: readonly PersonRow[], of: (r: PersonRow) => Record<string, string>): string[] {
  const values = new Map<string, Map<string, number>>()
  for (const r of rows) for (const [k, v] of Object.entries(of(r))) {
    const counts = values.get(k) ?? new Map<string, number>()
    values.set(k, counts)
    if (counts.size <= MAX_TRAIT_VALUES || counts.has(v)) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  const held = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)
  return [...values]
    .filter(([, counts]) => counts.size >= 2 && counts.size <= MAX_TRAIT_VALUES && held(counts) >= rows.length / 10)
    .sort((a, b) => held(b[1]) - held(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, MAX_TRAITS)
    .map(([k]) => k)
}

/**
 * The number traits held by at least a tenth of people with at least 4 values (fewer name kinds,
 * or nothing), the most widely held first, at most `MAX_TRAITS`: each with its cut points
 * (`sizeCuts`) and whether everyone has it.
 */
function measuredTraits(rows: readonly PersonRow[]): { name: string; cuts: number[]; everyone: boolean }[] {
  const values = new Map<string, number[]>()
  for (const r of rows) for (const [k, v] of Object.entries(r.measures)) {
    const list = values.get(k) ?? []
    values.set(k, list)
    list.push(v)
  }
  return [...values]
    .filter(([, list]) => list.length >= rows.length / 10 && new Set(list).size >= 4)
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .slice(0, MAX_TRAITS)
    .map(([name, list]) => ({ name, cuts: sizeCuts(list, rows.length), everyone: list.length === rows.length }))
    .filter((m) => m.cuts.length > 0)
}

/**
 * Cut points for a size: the round numbers 1, 2, 5, 10, 20, 50, … that leave at least 1% of the
 * `n` people in each bucket (thresholds people set, such as 500 employees, are round), or the
 * quintiles when some value is not positive.
 */
function sizeCuts(values: readonly number[], n: number): number[] {
  let least = Infinity
  let most = -Infinity
  for (const v of values) {
    least = Math.min(least, v)
    most = Math.max(most, v)
  }
  if (!(least > 0)) return quantileCuts(values, 5)
  const round: number[] = []
  for (let decade = 10 ** Math.floor(Math.log10(least)); decade <= most; decade *= 10)
    for (const m of [1, 2, 5]) if (m * decade > least && m * decade <= most) round.push(m * decade)
  return populatedCuts(values, round, n)
}

/**
 * Of `cuts` (ascending), those that leave at least 1% of the `n` people in each bucket, the one
 * below the first cut included: a bucket (almost) no one is in would only add a column the fit
 * cannot estimate, so it joins the one below it.
 */
function populatedCuts(values: readonly number[], cuts: readonly number[], n: number): number[] {
  const least = Math.max(1, n / 100)
  const kept: number[] = []
  let upper = Infinity
  for (let j = cuts.length - 1; j >= 0; j--) {
    const c = cuts[j]!
    const inside = values.filter((v) => v >= c && v < upper).length
    const below = n - values.filter((v) => v >= c).length
    if (inside >= least && below >= least) {
      kept.unshift(c)
      upper = c
    }
  }
  return kept
}

/** The buckets that `cuts` make of a number, e.g. [10, 50] → "under 10, 10–50, 50+". */
function bucketLabels(cuts: readonly number[]): string {
  if (cuts.length === 0) return ''
  return [`under ${cuts[0]}`, ...cuts.slice(1).map((c, j) => `${cuts[j]}–${c}`), `${cuts.at(-1)}+`].join(', ')
}

/** The buckets that `cuts` make of whole days, e.g. [1, 7] → "0, 1–6, 7+". */
function ageLabels(cuts: readonly number[]): string {
  const bounds = [0, ...cuts]
  return bounds.map((b, j) => (j === bounds.length - 1 ? `${b}+` : bounds[j + 1]! - 1 === b ? `${b}` : `${b}–${bounds[j + 1]! - 1}`)).join(', ')
}

/**
 * The values held by at least 1% of people (at most `most`), leaving out the commonest, which (with
 * every rarer value) is the reference: a level everyone shares would only repeat the intercept.
 */
function otherThanCommonest(values: readonly string[], most = 5): string[] {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return ranked
    .slice(1)
    .filter(([, c]) => c >= Math.max(1, values.length / 100))
    .slice(0, most)
    .map(([v]) => v)
}

export { OTHER_LEVELS }
