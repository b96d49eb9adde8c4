import type { ClickHouseClient } from '@clickhouse/client'
import type { z } from 'zod'
import { wilson, type Proportion } from '../stats/wilson.js'
import { evidenceFor, prepareExperiments, type FeatureEvidence, type FeatureExperiment } from './evidence.js'
import { firstActivityAndSpansComplete, rollupCoverage, type RollupCoverage } from '../rollup/status.js'
import { prepareFeatures, resolveContext, targetParams, type ReportContext, statedContext, type StatedContext } from './context.js'
import { cohortOf, featureCounts } from './high-retention-cohort.js'
import { compareFeatures, strataBounds, strataLabels, type FeatureComparison } from './high-retention-stats.js'
import { queryPeople, type PeopleQueryOptions } from './high-retention-people.js'
import type { PeopleRow } from './high-retention-cohort.js'
import type { FeatureDefinition } from '../features/rules.js'
import { HighRetentionParams, parseParams } from './params.js'
import { resolveSegment, segmentParams, type AppliedSegment, type ResolvedSegment } from '../segments/resolve.js'
import type { SegmentSelector } from '../segments/definition.js'

export interface HighRetentionRow extends FeatureComparison {
  name: string
  version: number
  /** Association (adjusted), or confirmed / not confirmed by a nudge experiment towards the feature. */
  evidence: FeatureEvidence
}

export interface HighRetentionReport extends StatedContext {
  report: 'high-retention'
  /** Whether the activity rollup holds every stored event yet; the figures cover what it holds. */
  activity: RollupCoverage
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
  /** The segment the people were restricted to; null for everyone. */
  segment: AppliedSegment | null
}

const METHOD =
  'Doubly robust (AIPW) effect on the adopters: logistic propensity and outcome models on first-window covariates ' +
  '(days 0…window−1), and per feature the other features whose use could bias its comparison most (up to 5, ranked ' +
  'by the bias formula of high-dimensional propensity scores), 95% intervals from the influence function; flagged only when adjusted q < 0.05, lift > 1 ' +
  'and the lift beats random placebo features matched on size and exact active days (BH q of the placebo p < 0.05).'

const NOTE =
  'Association, not proof of cause: adopters may differ from non-adopters in ways the report cannot see; the ' +
  'E-value says how strongly an unseen difference would have to act on both use and return to explain a lift away.'

/**
 * High-retention features (metrics spec §4): new users who used a feature in their first
 * `window` days against those who did not, on day-N product retention; crude rates with Wilson
 * intervals, Newcombe difference, lift, p (Fisher's exact at small counts) and BH q-values; the
 * adjusted comparison on first-window covariates with E-values and a placebo check, on which
 * alone a feature is flagged. Use is measured on days 0…window−1 and n ≥ window, so exposure and
 * outcome never overlap. The people query (high-retention-people.ts) returns a row per new person;
 * everything else, placebos included, is computed on those rows (high-retention-cohort.ts).
 */
export async function highRetentionReport(
  client: ClickHouseClient,
  input: HighRetentionParams & { project: string } & SegmentSelector,
): Promise<HighRetentionReport> {
  const read = await readHighRetention(client, input, queryPeople)
  // The comparisons are computed while the engine answers the experiments' queries.
  const compared = comparedOf(read, read.rows)
  return addEvidence(compared, await read.experiments)
}

/** The experiments behind each feature, by feature id. */
type Experiments = Map<string, FeatureExperiment[]>

/** What a high-retention report is computed from, read once: its parameters, context, features, segment, experiments and people rows. */
export interface HighRetentionRead<R> {
  p: z.output<typeof HighRetentionParams>
  ctx: ReportContext
  features: FeatureDefinition[]
  activity: RollupCoverage
  segment: ResolvedSegment | null
  /** Still being answered when the rows are in (the engine's next query). */
  experiments: Promise<Experiments>
  rows: R[]
}

/**
 * Reads a report's inputs; `people` reads its rows (with or without the person ids a breakdown
 * splits them by). The embedded engine answers one query at a time: the experiments' small reads
 * go first, then the people query, then the experiments' large queries, which the engine answers
 * while the caller computes on the rows.
 */
export async function readHighRetention<R>(
  client: ClickHouseClient,
  input: HighRetentionParams & { project: string } & SegmentSelector,
  people: (client: ClickHouseClient, mode: 'on' | 'on_or_after', params: Record<string, unknown>, features: readonly FeatureDefinition[], opts: PeopleQueryOptions) => Promise<R[]>,
): Promise<HighRetentionRead<R>> {
  const p = parseParams(HighRetentionParams, input)
  const ctx = await resolveContext(client, input.project, p)
  const [features, activity, segment, kept] = await Promise.all([
    prepareFeatures(client, ctx, p.features),
    rollupCoverage(client, ctx.project),
    resolveSegment(client, ctx, input),
    firstActivityAndSpansComplete(client, ctx.project),
  ])
  const runExperiments = await prepareExperiments(client, input.project, features.map((f) => f.id), { timezone: ctx.timezone, asOf: ctx.asOf, retentionDay: p.n, mode: p.mode })
  const rowsRead = people(
    client,
    p.mode,
    { ...targetParams(ctx, features), from: p.from, to: p.to, n: p.n, window: p.window, ...segmentParams(segment?.filter) },
    features,
    { segment: segment?.filter.sql, combos: ctx.combos, kept },
  )
  const experiments = runExperiments()
  // Awaited by the caller after its own work; a failure meanwhile is not left unhandled.
  experiments.catch(() => {})
  const rows = await rowsRead
  return { p, ctx, features, activity, segment, experiments, rows }
}

/** The report on the given people rows (all of the read's, or one breakdown group's), with the read's experiments. */
export function highRetentionOf(read: HighRetentionRead<unknown>, rows: readonly PeopleRow[], experiments: Experiments): HighRetentionReport {
  return addEvidence(comparedOf(read, rows), experiments)
}

type ComparedReport = Omit<HighRetentionReport, 'features'> & { features: Omit<HighRetentionRow, 'evidence'>[] }

/** The report on the given people rows, all but each feature's evidence (which the experiments give). */
export function comparedOf(read: HighRetentionRead<unknown>, rows: readonly PeopleRow[]): ComparedReport {
  const { p, ctx, features, activity, segment } = read
  const labels = strataLabels(strataBounds(p.window), p.window)
  const cohort = cohortOf(rows, features.length, p.window, p.from)
  const { pop, censored, stratumOf } = cohort
  const inputs = featureCounts(cohort, features, p)
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
    ...statedContext(ctx),
    activity,
    from: p.from,
    to: p.to,
    n: p.n,
    mode: p.mode,
    window: p.window,
    minN: p.minN,
    population: { newUsers: pop.size + censored, censored, baseline: wilson(retainedAll, pop.size) },
    strata: labels.map((label, s) => ({ label, users: stratumOf.filter((x) => x === s).length })),
    adjustment: { method: METHOD, covariates: pop.covariates, placebos: p.placebos },
    features: out,
    note: NOTE,
    segment: segment?.applied ?? null,
  }
}

/** Each feature's evidence level: association, or what the nudge experiments towards it found. */
function addEvidence(report: ComparedReport, experiments: Experiments): HighRetentionReport {
  return { ...report, features: report.features.map((r) => ({ ...r, evidence: evidenceFor(r, experiments.get(r.featureId) ?? []) })) }
}
