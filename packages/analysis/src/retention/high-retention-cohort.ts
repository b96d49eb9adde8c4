import { adjustedEffect, placeboDesign, type PlaceboDesign } from './adjusted-effect.js'
import type { AipwOptions } from '../stats/aipw.js'
import { codePopulation, type PersonRow, type Population } from './covariates.js'
import { hasEnoughData, strataBounds, strataLabels, type FeatureCounts, type StratumCounts } from './high-retention-stats.js'
import { activityPools, placeboCheck, seedOf } from './placebo.js'
import { benjaminiHochberg } from '../stats/bh.js'
import { coUsedCovariates, coUseOf, type CoUse } from './co-used.js'
import { pathPattern } from './path-pattern.js'
import { EMAIL_KIND_TRAIT, emailKind } from './email-kind.js'
import { DAY_PARTS, PLAN_TRAIT } from './high-retention-people.sql.js'

/**
 * A row of the people query (high-retention-people.sql.ts): eligible, retained, active days, late
 * active days, events, sessions, target positions first used in the window (1 = activity, 2… =
 * features, ascending), their event counts, account, account size, plan, seats, days from `from` to
 * day 0, first-touch device type, source, country and landing path ('' when unknown), each identify
 * trait's value (raw JSON) at the end of the window, 1 when no one of the account was active before
 * them, the days the account had been active before their day 0, first-touch browser and operating
 * system, each group trait of their account (raw JSON) at the end of the window, and their events
 * in the window per part of the day (`DAY_PARTS`).
 */
export type PeopleRow = [number, number, number, number, number, number, number[], number[], string, number | null, string | null, number | null, number, string, string, string, string, [string, string][], number, number, string, string, [string, string][], number[]]

/** The eligible new people, coded, and each feature's adopters and own event counts. */
export interface Cohort {
  pop: Population
  /** New people whose day N was not complete. */
  censored: number
  /** Early-activity stratum of each person (index into the strata bounds). */
  stratumOf: Int8Array
  /** Per feature: 1 for its adopters. */
  exposures: Uint8Array[]
  /** Per feature: [person, events that were use of it] pairs of its adopters. */
  ownEvents: number[][]
  /** Pairs of features used together (see co-used.ts). */
  coUse: CoUse
  /** The cells of a comparison without own events, shared by every placebo. */
  design: PlaceboDesign
}

/**
 * The people rows in an order fixed by their content: the engine returns them in an order that
 * varies from run to run, and the placebos are drawn by position, so without this the same data
 * could give a different placebo check. People whose rows are equal are interchangeable, so
 * sorting on the whole row is enough. Each row's features must already be ascending (the query
 * sorts them); a row that is not is put in that order first.
 */
export function inCanonicalOrder(rows: readonly PeopleRow[]): PeopleRow[] {
  const keyed = rows.map((r) => {
    const row = ascendingUses(r)
    return { row, key: JSON.stringify(row) }
  })
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return keyed.map((k) => k.row)
}

function ascendingUses(r: PeopleRow): PeopleRow {
  const used = r[6]
  let sorted = true
  for (let j = 1; j < used.length; j++) if (Number(used[j - 1]) >= Number(used[j])) sorted = false
  if (sorted && used.every((t) => typeof t === 'number') && r[7].every((e) => typeof e === 'number') && r[7].length === used.length) return r
  const uses = used.map((t, j) => [Number(t), Number(r[7][j] ?? 0)] as const).sort((a, b) => a[0] - b[0])
  const row: PeopleRow = [...r]
  row[6] = uses.map((u) => u[0])
  row[7] = uses.map((u) => u[1])
  return row
}

/**
 * Identify or group traits from their raw JSON values. Text and true/false values only; a number
 * is a measure (a count, an amount), not a kind. `emailKinds`: add whether an address among them
 * is a work or a personal one (a person's, not a company's).
 */
function traitsOf(pairs: readonly (readonly [string, string])[], emailKinds: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, raw] of pairs) {
    let v: unknown
    try {
      v = JSON.parse(raw)
    } catch {
      continue
    }
    if (typeof v === 'string' && v !== '') out[k] = v
    else if (typeof v === 'boolean') out[k] = String(v)
    // An address names no kind of person, but whether it is a work or a personal one does.
    const kind = emailKinds && typeof v === 'string' ? emailKind(v) : null
    if (kind && !(EMAIL_KIND_TRAIT in out)) out[EMAIL_KIND_TRAIT] = kind
  }
  return out
}

/** The number traits among raw JSON trait values, keyed by covariate name (`<kind> "<trait>"`). */
function numbersOf(pairs: readonly (readonly [string, string])[], kind: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, raw] of pairs) {
    const v = Number(raw)
    // Raw JSON: a number is written as one; "12" (a string) is text.
    if (raw !== '' && !raw.startsWith('"') && Number.isFinite(v)) out[`${kind} "${k}"`] = v
  }
  return out
}

/** A browser and operating system as one value ('' when neither is known). */
function clientOf(browser: string, os: string): string {
  return browser === '' && os === '' ? '' : `${browser || 'unknown browser'} on ${os || 'unknown system'}`
}

/** The part of the day (see `DAY_PARTS`) with most of a person's events, the earlier on a tie; '' with none. */
function dayPartOf(counts: readonly number[]): string {
  let best = -1
  counts.forEach((c, k) => {
    if (Number(c) > 0 && (best < 0 || Number(c) > Number(counts[best]))) best = k
  })
  return best < 0 ? '' : DAY_PARTS[best] ?? ''
}

/** Day of the week (0 = Monday … 6 = Sunday) of an ISO date, or 0 when it is not one. */
function weekdayOf(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`)
  return Number.isNaN(ms) ? 0 : (new Date(ms).getUTCDay() + 6) % 7
}

/**
 * Codes the eligible people of the query's rows (in canonical order) for `features` features;
 * `from` is the report's first day, from which each person's day 0 is `joined` days on.
 */
export function cohortOf(raw: readonly PeopleRow[], features: number, window: number, from: string): Cohort {
  const rows = inCanonicalOrder(raw)
  const fromWeekday = weekdayOf(from)
  const people: PersonRow[] = []
  const ownEvents = Array.from({ length: features }, () => [] as number[])
  let censored = 0
  for (const r of rows) {
    if (Number(r[0]) !== 1) {
      censored += 1
      continue
    }
    const i = people.length
    const used: number[] = []
    r[6].forEach((t, j) => {
      // Target positions: 1 = activity, 2… = features.
      const f = Number(t) - 2
      if (f < 0) return
      used.push(f)
      if (f < features) ownEvents[f]!.push(i, Number(r[7][j] ?? 0))
    })
    // The account's group traits but its plan, which is a covariate of its own.
    const group = (r[22] ?? []).filter(([k]) => k !== PLAN_TRAIT)
    people.push({
      retained: Number(r[1]) === 1,
      active: Number(r[2]),
      late: Number(r[3]),
      events: Number(r[4]),
      sessions: Number(r[5]),
      used,
      accountSize: Number(r[9] ?? 0),
      plan: r[10] ?? '',
      joined: Number(r[12] ?? 0),
      weekday: (fromWeekday + Number(r[12] ?? 0)) % 7,
      device: r[13] ?? '',
      source: r[14] ?? '',
      country: r[15] ?? '',
      landing: pathPattern(r[16] ?? ''),
      traits: traitsOf(r[17] ?? [], true),
      founder: Number(r[18] ?? 0) === 1,
      accountAge: Number(r[19] ?? 0),
      client: clientOf(r[20] ?? '', r[21] ?? ''),
      accountTraits: traitsOf(group, false),
      measures: { ...numbersOf(r[17] ?? [], 'identify trait'), ...numbersOf(group, 'account trait') },
      dayPart: dayPartOf(r[23] ?? []),
    })
  }
  const pop = codePopulation(people, window)
  const bounds = strataBounds(window)
  const stratumOf = new Int8Array(people.length)
  people.forEach((x, i) => {
    let s = -1
    for (const b of bounds) if (x.active >= b) s += 1
    stratumOf[i] = s
  })
  const exposures = Array.from({ length: features }, () => new Uint8Array(pop.size))
  people.forEach((x, i) => {
    for (const t of x.used) exposures[t]![i] = 1
  })
  const design = placeboDesign(pop)
  const coUse = coUseOf(people.map((x) => x.used), pop.retained, features, design)
  return { pop, censored, stratumOf, exposures, ownEvents, coUse, design }
}

/**
 * Where a comparison's two models start: its outcome model (return of the unexposed) from the
 * population's return model, whose columns come first, and its propensity model from the share
 * of adopters. Newton's method ends at the same fit from any start; from these it takes fewer steps.
 */
function startingFits(cohort: Cohort, adopters: number): AipwOptions['start'] {
  const share = adopters / cohort.pop.size
  const intercept = share > 0 && share < 1 ? Math.log(share / (1 - share)) : 0
  return { outcome: cohort.coUse.returnFit, propensity: { beta: Float64Array.of(intercept), iterations: 0, converged: false } }
}

export interface FeatureKey {
  id: string
  version: number
}

/**
 * Per feature: crude counts per stratum of early activity, the adjusted comparison and, where a
 * flag is possible, the placebo check. A flag needs an adjusted q below `alpha` (Benjamini–Hochberg
 * over the features with enough data, as `compareFeatures` counts them) with a lift above 1, so
 * the placebos are drawn only for those features, once every adjusted comparison is in. The others
 * cannot be flagged, and count with placebo p = 1 in the placebo q-values, which only makes those
 * stricter.
 */
export function featureCounts(
  cohort: Cohort,
  features: readonly FeatureKey[],
  p: { from: string; to: string; n: number; window: number; minN: number; placebos: number; alpha?: number },
): FeatureCounts[] {
  const { pop, stratumOf } = cohort
  const alpha = p.alpha ?? 0.05
  const strataCount = strataLabels(strataBounds(p.window), p.window).length
  const compared = features.map((f, fi) => {
    const exposed = cohort.exposures[fi]!
    const counts = new Float64Array(strataCount * 4)
    for (let i = 0; i < pop.size; i++) {
      const s = Math.max(stratumOf[i]!, 0) * 4 + (exposed[i] ? 0 : 2)
      counts[s]! += 1
      counts[s + 1]! += pop.retained[i]!
    }
    const strata: StratumCounts[] = Array.from({ length: strataCount }, (_, s) => ({
      adopters: counts[s * 4]!,
      retainedAdopters: counts[s * 4 + 1]!,
      nonAdopters: counts[s * 4 + 2]!,
      retainedNonAdopters: counts[s * 4 + 3]!,
    }))
    const adopters = strata.reduce((a, s) => a + s.adopters, 0)
    const enough = hasEnoughData(adopters, pop.size - adopters, p.minN)
    const own = new Float64Array(pop.size)
    const pairs = cohort.ownEvents[fi]!
    for (let j = 0; j < pairs.length; j += 2) own[pairs[j]!] = pairs[j + 1]!
    const coUsed = coUsedCovariates(cohort.coUse, fi)
    const adjusted = adjustedEffect(pop, exposed, own, { start: startingFits(cohort, adopters) }, coUsed.map((g) => cohort.exposures[g]!))
    return { f, fi, strata, enough, adjusted, coUsed }
  })
  const q = benjaminiHochberg(compared.map((c) => (c.enough ? c.adjusted.p : null)))
  const tests = compared.filter((c) => c.enough).length
  // Placebos are drawn only for candidates; their pools of people are built at the first one.
  let pools: Map<number, number[]> | null = null
  return compared.map(({ f, fi, strata, enough, adjusted, coUsed }, i) => {
    const candidate = enough && (adjusted.riskRatio ?? 0) > 1 && (q[i] ?? 1) < alpha
    let placebo = null
    if (candidate) {
      pools ??= activityPools(pop)
      placebo = placeboCheck(pop, cohort.exposures[fi]!, adjusted, {
        count: p.placebos,
        seed: seedOf(`${f.id}|${f.version}|${p.from}|${p.to}|${p.n}`),
        pools,
        design: cohort.design,
        settle: { alpha, tests },
      })
    }
    return { featureId: f.id, strata, adjusted, placebo, coUsed: coUsed.map((g) => features[g]!.id) }
  })
}
