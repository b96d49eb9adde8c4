import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { parseInput } from '../errors.js'
import { resolveContext } from '../retention/context.js'
import { retentionReport, type RetentionReport } from '../retention/day-n.js'
import { featureRetentionReport, type FeatureRetentionReport } from '../retention/feature-retention.js'
import { highRetentionOf, readHighRetention, type HighRetentionReport } from '../retention/high-retention.js'
import type { PeopleRow } from '../retention/high-retention-cohort.js'
import { queryPeopleWithIds, withoutPerson } from '../retention/high-retention-people.js'
import type { FeatureRetentionParams, HighRetentionParams, RetentionParams } from '../retention/params.js'
import { Params } from '../sql/params.js'
import { mapLimited } from '../limited.js'
import { benjaminiHochberg } from '../stats/bh.js'
import { cochranQ, type Heterogeneity } from '../stats/heterogeneity.js'
import type { Proportion } from '../stats/wilson.js'
import { checkProperty } from './check.js'
import { PropertyName, type SegmentSelector } from './definition.js'
import { propertyValuesSql, scope } from './properties.sql.js'

/**
 * Reports of a breakdown run two at a time: one report's statistics (placebos, fits) run in
 * JavaScript while another's queries run in the engine.
 */
const IN_FLIGHT = 2

const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

/** How a report is broken down: by one property, into its most common values. */
export const BreakdownParams = z.object({
  breakdown: PropertyName.describe('Break the report down by this property (see /v1/segments/properties), one group per value'),
  maxGroups: Int(2, 20).describe('At most this many groups: the most common values').default(10),
})
export type BreakdownParams = z.input<typeof BreakdownParams>

/** The most common values of a property among people as of an instant (most people first). */
export async function breakdownValues(
  client: ClickHouseClient,
  where: { project: string; asOf: string },
  property: string,
  limit: number,
): Promise<{ value: string; people: number }[]> {
  const params = new Params('bd')
  const s = scope(params, where.project, where.asOf)
  const sql = `SELECT value, count() AS people FROM (${propertyValuesSql(s, params, property)}) WHERE value != ''
GROUP BY value ORDER BY people DESC, value LIMIT ${params.add(limit, 'UInt32')}`
  const rs = await client.query({ query: sql, query_params: params.values, format: 'JSONEachRow' })
  return (await rs.json<{ value: string; people: string }>()).map((r) => ({ value: r.value, people: Number(r.people) }))
}

/** The group of people without a value of the property. */
export const NONE = '(none)'

/** Each person's value of a property as of the report's instant (people without one are left out). */
async function personValues(client: ClickHouseClient, where: { project: string; asOf: string }, property: string): Promise<Map<string, string>> {
  const params = new Params('bd')
  const s = scope(params, where.project, where.asOf)
  const sql = `SELECT person, any(value) AS one FROM (${propertyValuesSql(s, params, property)}) WHERE value != '' GROUP BY person`
  const rs = await client.query({ query: sql, query_params: params.values, format: 'JSONCompactEachRow' })
  return new Map(await rs.json<[string, string]>())
}

async function groupsOf(client: ClickHouseClient, input: { project: string; asOf?: string | undefined; timezone?: string | undefined }, b: BreakdownParams) {
  const p = parseInput(BreakdownParams, b)
  await checkProperty(client, input.project, p.breakdown, 'breakdown')
  const ctx = await resolveContext(client, input.project, input)
  return { property: p.breakdown, maxGroups: p.maxGroups, values: await breakdownValues(client, ctx, p.breakdown, p.maxGroups) }
}

/** One report input per group, the people without a value last. */
function groupInputs<B extends object>(base: B, property: string, values: readonly { value: string }[]): (B & SegmentSelector)[] {
  return [...values.map(({ value }) => ({ ...base, group: { property, value } })), { ...base, group: { property, value: null } }]
}

export interface RetentionBreakdownGroup {
  value: string
  /** `not_enough_data` when fewer than min_n people start in the group. */
  status: 'ok' | 'not_enough_data'
  report: RetentionReport
}

export interface RetentionBreakdown {
  report: 'retention-breakdown'
  property: string
  minN: number
  overall: RetentionReport
  groups: RetentionBreakdownGroup[]
  /** Active people without a value of the property (value "(none)"), beside the groups. */
  none: RetentionBreakdownGroup
  note: string
}

const GROUPS_NOTE =
  'Groups are the most common values of the property as of the report; people without a value are shown apart, as (none). ' +
  'A group with fewer than min_n people is listed as not enough data.'

/** Day-N retention curves per value of a property, beside the curve of everyone (within the segment, if any). */
export async function retentionBreakdown(
  client: ClickHouseClient,
  input: RetentionParams & { project: string } & SegmentSelector & BreakdownParams & { minN?: number | string },
): Promise<RetentionBreakdown> {
  const minN = parseInput(Int(1, 1_000_000).default(30), input.minN)
  const { property, values } = await groupsOf(client, input, input)
  const { breakdown: _b, maxGroups: _m, minN: _n, ...base } = input
  const [overall, ...reports] = await mapLimited([base, ...groupInputs(base, property, values)], IN_FLIGHT, (x) => retentionReport(client, x))
  const groups: RetentionBreakdownGroup[] = [...values, { value: NONE }].map(({ value }, i) => {
    const report = reports[i]!
    return { value, status: report.total.size >= minN ? 'ok' : 'not_enough_data', report }
  })
  return { report: 'retention-breakdown', property, minN, overall: overall!, groups: groups.slice(0, -1), none: groups.at(-1)!, note: GROUPS_NOTE }
}

export interface FeatureRetentionBreakdownGroup {
  value: string
  /** `not_enough_data` when fewer than min_n of the group were active in the window. */
  status: 'ok' | 'not_enough_data'
  report: FeatureRetentionReport
}

export interface FeatureRetentionBreakdown {
  report: 'feature-retention-breakdown'
  property: string
  minN: number
  overall: FeatureRetentionReport
  groups: FeatureRetentionBreakdownGroup[]
  /** Active people without a value of the property (value "(none)"), beside the groups. */
  none: FeatureRetentionBreakdownGroup
  note: string
}

/** Adoption and day-N retention of each feature per value of a property, beside everyone's. */
export async function featureRetentionBreakdown(
  client: ClickHouseClient,
  input: FeatureRetentionParams & { project: string } & SegmentSelector & BreakdownParams & { minN?: number | string },
): Promise<FeatureRetentionBreakdown> {
  const minN = parseInput(Int(1, 1_000_000).default(30), input.minN)
  const { property, values } = await groupsOf(client, input, input)
  const { breakdown: _b, maxGroups: _m, minN: _n, ...base } = input
  const [overall, ...reports] = await mapLimited([base, ...groupInputs(base, property, values)], IN_FLIGHT, (x) => featureRetentionReport(client, x))
  const groups: FeatureRetentionBreakdownGroup[] = [...values, { value: NONE }].map(({ value }, i) => {
    const report = reports[i]!
    // Active users come with the features' rows; without features there is nothing to judge.
    const active = report.features[0]?.activeUsers
    return { value, status: active === undefined || active >= minN ? 'ok' : 'not_enough_data', report }
  })
  return { report: 'feature-retention-breakdown', property, minN, overall: overall!, groups: groups.slice(0, -1), none: groups.at(-1)!, note: GROUPS_NOTE }
}

export interface BreakdownCell {
  group: string
  featureId: string
  name: string
  status: 'tested' | 'not_enough_data'
  adopters: Proportion
  nonAdopters: Proportion
  lift: number | null
  p: number | null
  /** BH over every tested group × feature cell. */
  q: number | null
  adjustedLift: number | null
  adjustedP: number | null
  /** BH over every tested group × feature cell, on the adjusted p-values. */
  adjustedQ: number | null
  /** The group's own flag, kept only when its adjusted q across all cells is below 0.05 too. */
  highRetention: boolean
}

export interface HighRetentionBreakdownGroup {
  value: string
  /** `not_enough_data` when fewer than min_n new users of the group have a complete day N. */
  status: 'ok' | 'not_enough_data'
  report: HighRetentionReport
}

export interface HighRetentionBreakdown {
  report: 'high-retention-breakdown'
  property: string
  minN: number
  overall: HighRetentionReport
  groups: HighRetentionBreakdownGroup[]
  /**
   * People without a value of the property as of the report (value "(none)"): shown beside the
   * groups, outside their q-values and heterogeneity test (it is no value of the property).
   */
  none: HighRetentionBreakdownGroup
  cells: BreakdownCell[]
  /** Per feature: does its crude lift differ across the groups with enough data (Cochran's Q on log risk ratios)? */
  heterogeneity: ({ featureId: string; name: string } & Heterogeneity)[]
  note: string
}

/**
 * The high-retention report per value of a property: each group's comparisons, q-values by
 * Benjamini–Hochberg over every tested group × feature cell (crude and adjusted families apart),
 * and for each feature Cochran's Q test of whether its lift differs across groups.
 */
export async function highRetentionBreakdown(
  client: ClickHouseClient,
  input: HighRetentionParams & { project: string } & SegmentSelector & BreakdownParams,
): Promise<HighRetentionBreakdown> {
  const { property, values } = await groupsOf(client, input, input)
  const { breakdown: _b, maxGroups: _m, ...base } = input
  // The people are read once, each with its id; a group's report is the report on its people's
  // rows (a person's row does not depend on who else is read), so each equals the report
  // restricted to the group, at the cost of one.
  const read = await readHighRetention(client, base, queryPeopleWithIds)
  const valueOf = await personValues(client, read.ctx, property)
  const all: PeopleRow[] = []
  const rowsOf = new Map(values.map(({ value }) => [value, [] as PeopleRow[]]))
  const withoutValue: PeopleRow[] = []
  for (const r of read.rows) {
    const row = withoutPerson(r)
    all.push(row)
    const value = valueOf.get(r[r.length - 1] as string)
    if (value === undefined) withoutValue.push(row)
    else rowsOf.get(value)?.push(row)
  }
  const experiments = await read.experiments
  const overall = highRetentionOf(read, all, experiments)
  const minN = overall.minN
  const groupOf = (value: string, rows: readonly PeopleRow[]): HighRetentionBreakdownGroup => {
    const report = highRetentionOf(read, rows, experiments)
    const eligible = report.population.newUsers - report.population.censored
    return { value, status: eligible >= minN ? 'ok' : 'not_enough_data', report }
  }
  const groups = values.map(({ value }) => groupOf(value, rowsOf.get(value)!))
  const none = groupOf(NONE, withoutValue)
  const raw = groups.flatMap((g) =>
    g.report.features.map((f) => ({
      group: g.value,
      featureId: f.featureId,
      name: f.name,
      status: g.status === 'ok' ? f.status : ('not_enough_data' as const),
      adopters: f.adopters,
      nonAdopters: f.nonAdopters,
      lift: f.lift,
      p: f.p,
      adjustedLift: f.adjusted.lift,
      adjustedP: f.adjusted.p,
      flagged: f.highRetention,
    })),
  )
  const tested = (c: (typeof raw)[number], p: number | null) => (c.status === 'tested' ? p : null)
  const q = benjaminiHochberg(raw.map((c) => tested(c, c.p)))
  const adjustedQ = benjaminiHochberg(raw.map((c) => tested(c, c.adjustedP)))
  const cells: BreakdownCell[] = raw.map(({ flagged, ...c }, i) => ({
    ...c,
    q: q[i] ?? null,
    adjustedQ: adjustedQ[i] ?? null,
    highRetention: flagged && c.status === 'tested' && (adjustedQ[i] ?? 1) < 0.05,
  }))
  const heterogeneity = overall.features.map((f) => ({
    featureId: f.featureId,
    name: f.name,
    ...cochranQ(
      cells
        .filter((c) => c.featureId === f.featureId && c.status === 'tested')
        .map((c) => ({ exposed: { k: c.adopters.k, n: c.adopters.n }, unexposed: { k: c.nonAdopters.k, n: c.nonAdopters.n } })),
    ),
  }))
  return {
    report: 'high-retention-breakdown',
    property,
    minN,
    overall,
    groups,
    none,
    cells,
    heterogeneity,
    note:
      `${GROUPS_NOTE} q-values adjust for every tested group × feature cell. Heterogeneity: Cochran's Q on the crude log risk ratios ` +
      'of the groups with enough data (a small p says the lift differs between groups). Association, not proof of cause.',
  }
}
