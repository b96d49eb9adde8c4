import type { ClickHouseClient } from '@clickhouse/client'
import { NON_ACTIVITY_EVENTS } from '../events.js'
import { wilson, type Proportion } from '../stats/wilson.js'
import { adjustedEffect } from './adjusted-effect.js'
import { withEvidence, type FeatureEvidence } from './evidence.js'
import { prepareFeatures, resolveContext, targetParams, type ReportContext } from './context.js'
import { codePopulation, type PersonRow } from './covariates.js'
import { compareFeatures, strataBounds, strataLabels, type FeatureComparison, type StratumCounts } from './high-retention-stats.js'
import { highRetentionPeopleSql } from './high-retention-people.sql.js'
import { HighRetentionParams, parseParams } from './params.js'
import { activityPools, placeboCheck, seedOf } from './placebo.js'

export interface HighRetentionRow extends FeatureComparison {
  name: string
  version: number
  /** Association (adjusted), or confirmed / not confirmed by a nudge experiment towards the feature. */
  evidence: FeatureEvidence
}

export interface HighRetentionReport extends ReportContext {
  report: 'high-retention'
  from: string
  to: string
  n: number
  mode: 'on' | 'on_or_after'
  window: number
  minN: number
  population: {
    /** New users (first activity in [from, to]). */
    newUsers: number
    /** Left out because day N was not complete by the as-of day. */
    censored: number
    /** Everyone compared: the day-N retention of all eligible new users. */
    baseline: Proportion
  }
  strata: { label: string; users: number }[]
  /** How the adjusted comparison is made, and on what (printed with the report). */
  adjustment: { method: string; covariates: string[]; placebos: number }
  /** Flagged first (by adjusted lift), then the other tested features, then "not enough data". */
  features: HighRetentionRow[]
  note: string
}

const METHOD =
  'Doubly robust (AIPW) effect on the adopters: logistic propensity and outcome models on first-window covariates ' +
  '(days 0…window−1), 95% intervals from the influence function; flagged only when adjusted q < 0.05, lift > 1 ' +
  'and the lift beats random placebo features matched on size and exact active days (BH q of the placebo p < 0.05).'

const NOTE =
  'Association, not proof of cause: adopters may differ from non-adopters in ways the report cannot see; the ' +
  'E-value says how strongly an unseen difference would have to act on both use and return to explain a lift away.'

type PeopleRow = [number, number, number, number, number, number, number[], number[], string, number | null, string | null, number | null]

/**
 * High-retention features (metrics spec §4): new users who used a feature in their first
 * `window` days against those who did not, on day-N product retention; crude rates with Wilson
 * intervals, Newcombe difference, lift, p (Fisher's exact at small counts) and BH q-values; the
 * adjusted comparison on first-window covariates with E-values and a placebo check, on which
 * alone a feature is flagged. Use is measured on days 0…window−1 and n ≥ window, so exposure and
 * outcome never overlap. One query returns a row per new person; everything else, placebos
 * included, is computed here on those rows.
 */
export async function highRetentionReport(
  client: ClickHouseClient,
  input: HighRetentionParams & { project: string },
): Promise<HighRetentionReport> {
  const p = parseParams(HighRetentionParams, input)
  const ctx = await resolveContext(client, input.project, p)
  const features = await prepareFeatures(client, ctx, p.features)
  const bounds = strataBounds(p.window)
  const labels = strataLabels(bounds, p.window)
  const rs = await client.query({
    query: highRetentionPeopleSql(p.mode),
    query_params: {
      ...targetParams(ctx, features), from: p.from, to: p.to, n: p.n, window: p.window, non_activity: [...NON_ACTIVITY_EVENTS],
    },
    format: 'JSONCompactEachRow',
  })
  const raw = inCanonicalOrder(await rs.json<PeopleRow>())
  const people: PersonRow[] = []
  // Per feature, [person, events that were use of it] pairs of its users, for the event volume.
  const ownEvents = features.map(() => [] as number[])
  let censored = 0
  for (const r of raw) {
    if (Number(r[0]) !== 1) {
      censored += 1
      continue
    }
    people.push({
      retained: Number(r[1]) === 1,
      active: Number(r[2]),
      late: Number(r[3]),
      events: Number(r[4]),
      sessions: Number(r[5]),
      // Target positions: 1 = activity, 2… = features.
      used: r[6].map((t) => Number(t) - 2).filter((t) => t >= 0),
      accountSize: Number(r[9] ?? 0),
      plan: r[10] ?? '',
    })
    const i = people.length - 1
    r[6].forEach((t, j) => {
      const f = ownEvents[Number(t) - 2]
      if (f) f.push(i, Number(r[7][j] ?? 0))
    })
  }
  const pop = codePopulation(people, p.window)
  const stratumOf = people.map((x) => bounds.filter((b) => x.active >= b).length - 1)
  const pools = activityPools(pop)
  const exposures = features.map(() => new Uint8Array(pop.size))
  people.forEach((x, i) => {
    for (const t of x.used) exposures[t]![i] = 1
  })

  const inputs = features.map((f, fi) => {
    const exposed = exposures[fi]!
    const strata: StratumCounts[] = bounds.map(() => ({ adopters: 0, retainedAdopters: 0, nonAdopters: 0, retainedNonAdopters: 0 }))
    for (let i = 0; i < pop.size; i++) {
      const s = strata[Math.max(stratumOf[i]!, 0)]!
      const k = pop.retained[i]!
      if (exposed[i]) {
        s.adopters += 1
        s.retainedAdopters += k
      } else {
        s.nonAdopters += 1
        s.retainedNonAdopters += k
      }
    }
    const adopters = strata.reduce((a, s) => a + s.adopters, 0)
    const enough = adopters >= p.minN && pop.size - adopters >= p.minN
    const own = new Float64Array(pop.size)
    const pairs = ownEvents[fi]!
    for (let j = 0; j < pairs.length; j += 2) own[pairs[j]!] = pairs[j + 1]!
    const adjusted = adjustedEffect(pop, exposed, own)
    // Placebos are drawn only where a flag is possible (lift > 1 at p < 0.05): the others cannot be
    // flagged, and count with placebo p = 1 in the placebo q-values, which only makes those stricter.
    const candidate = enough && (adjusted.riskRatio ?? 0) > 1 && adjusted.p !== null && adjusted.p < 0.05
    const placebo = candidate
      ? placeboCheck(pop, exposed, adjusted, { count: p.placebos, seed: seedOf(`${f.id}|${f.version}|${p.from}|${p.to}|${p.n}`), pools })
      : null
    return { featureId: f.id, strata, adjusted, placebo }
  })
  const comparisons = compareFeatures(inputs, labels, { minN: p.minN })
  const rank = (r: FeatureComparison): number => (r.highRetention ? 0 : r.status === 'tested' ? 1 : 2)
  const out = comparisons
    .map((c, i) => ({ ...c, name: features[i]!.name, version: features[i]!.version }))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (rank(a) < 2 ? (b.adjusted.lift ?? 0) - (a.adjusted.lift ?? 0) : b.adopters.n - a.adopters.n) ||
        a.name.localeCompare(b.name),
    )
  const retainedAll = pop.retained.reduce((s, k) => s + k, 0)
  return {
    report: 'high-retention',
    ...ctx,
    from: p.from,
    to: p.to,
    n: p.n,
    mode: p.mode,
    window: p.window,
    minN: p.minN,
    population: { newUsers: pop.size + censored, censored, baseline: wilson(retainedAll, pop.size) },
    strata: labels.map((label, s) => ({ label, users: stratumOf.filter((x) => x === s).length })),
    adjustment: { method: METHOD, covariates: pop.covariates, placebos: p.placebos },
    features: await withEvidence(client, input.project, out, { timezone: ctx.timezone, asOf: ctx.asOf, retentionDay: p.n, mode: p.mode }),
    note: NOTE,
  }
}

/**
 * The people rows in an order fixed by their content: the engine returns them (and each
 * person's features) in an order that varies from run to run, and the placebos are drawn by
 * position, so without this the same data could give a different placebo check. People whose
 * rows are equal are interchangeable, so sorting on the whole row is enough.
 */
function inCanonicalOrder(rows: PeopleRow[]): PeopleRow[] {
  const keyed = rows.map((r) => {
    const uses = r[6].map((t, j) => [Number(t), Number(r[7][j] ?? 0)] as const).sort((a, b) => a[0] - b[0])
    const row: PeopleRow = [...r]
    row[6] = uses.map((u) => u[0])
    row[7] = uses.map((u) => u[1])
    return { row, key: JSON.stringify(row) }
  })
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return keyed.map((k) => k.row)
}

