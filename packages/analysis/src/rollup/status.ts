import type { ClickHouseClient } from '@clickhouse/client'
import { shareInFlight } from '../sql/in-flight.js'
import { COMBOS_SLICE } from '../store/migrations/045_activity_combos.js'
import { SPANS_SLICE } from '../store/migrations/046_session_spans.js'
import { FIRST_ACTIVITY_SLICE } from '../store/migrations/047_first_activity.js'
import { PERSON_DAYS_SLICE } from '../store/migrations/048_person_days.js'

/** How much of a project's stored events the activity rollup holds. */
export interface RollupCoverage {
  /** False while events stored before the rollup existed are still being added to it (a background job). */
  complete: boolean
  /** Months of those older events added so far, and how many there are (known once the job reached the project). */
  monthsDone: number
  months: number | null
  /** What that means for a report, in words; null when complete. */
  note: string | null
}

export const COMPLETE: RollupCoverage = { complete: true, monthsDone: 0, months: null, note: null }

/**
 * Whether reports on the rollup see every stored event of the project. New events reach the rollup
 * as they are inserted; only events stored before it existed wait for the backfill job.
 */
export function rollupCoverage(client: ClickHouseClient, projectId: string): Promise<RollupCoverage> {
  return shareInFlight(client, JSON.stringify(['rollup coverage', projectId]), () => readCoverage(client, projectId)).then((c) => ({ ...c }))
}

/** The latest state of each of the project's plan rows in `activity_rollup_backfill` (one small read, shared by the calls in flight). */
function sliceStates(client: ClickHouseClient, projectId: string): Promise<{ slice: number; state: string }[]> {
  return shareInFlight(client, JSON.stringify(['rollup slices', projectId]), async () => {
    const rs = await client.query({
      query: `SELECT slice, argMax(state, updated_at) AS state FROM activity_rollup_backfill
        WHERE project_id = {project:String} GROUP BY slice`,
      query_params: { project: projectId },
      format: 'JSONEachRow',
    })
    return (await rs.json<{ slice: number; state: string }>()).map((r) => ({ slice: Number(r.slice), state: r.state }))
  })
}

async function readCoverage(client: ClickHouseClient, projectId: string): Promise<RollupCoverage> {
  const rows = await sliceStates(client, projectId)
  const plan = rows.find((r) => r.slice === 0)
  if (!plan || plan.state === 'done') return COMPLETE
  // Slice 0 is the plan, 1 the first page views' (migration 044), 2 the combinations' (045), 3 the session spans' (046),
  // 4 the first activities' (047), 5 the person-days' (048); months are YYYYMM.
  const months = rows.filter((r) => isMonth(r.slice))
  const monthsDone = months.filter((r) => r.state === 'done').length
  return {
    complete: false,
    monthsDone,
    months: months.length ? months.length : null,
    note: `Events stored before this version are still being added to the activity rollup${months.length ? ` (${monthsDone} of ${months.length} months)` : ''}: figures cover the events added so far and every event received since.`,
  }
}

/**
 * Whether `activity_combos` holds every combination of the project's stored events: false while
 * those of events stored before migration 045 wait for the background job. Reports then test the
 * rollup rows' own columns, which gives the same figures, only slower.
 */
export function combosComplete(client: ClickHouseClient, projectId: string): Promise<boolean> {
  return sliceDone(client, projectId, READINESS_SLICES.combos)
}

/**
 * Whether `session_spans` holds the spans of every stored event of the project: false while those
 * of events stored before migration 046 wait for the background job. Seat sharing then reads the
 * events, which gives the same figures, only slower.
 */
export function spansComplete(client: ClickHouseClient, projectId: string): Promise<boolean> {
  return sliceDone(client, projectId, [SPANS_SLICE])
}

/**
 * Whether `first_activity` holds every stored user key's first activity: false while those of
 * events stored before migration 047 wait for the background job. The overview then finds first
 * activities in the rollup, which gives the same figures, only slower.
 */
export function firstActivityComplete(client: ClickHouseClient, projectId: string): Promise<boolean> {
  return sliceDone(client, projectId, READINESS_SLICES.firstActivity)
}

/**
 * Whether the account reports can read `person_days`: it holds every stored event's person-day
 * (false while those of events stored before migration 048 wait for the background job), and
 * `activity_combos` every combination its rows name. Until then they read the rollup, which gives
 * the same figures, only slower.
 */
export function personDaysComplete(client: ClickHouseClient, projectId: string): Promise<boolean> {
  return sliceDone(client, projectId, READINESS_SLICES.personDays)
}

/**
 * Whether `first_activity` and `session_spans` both hold every stored event of the project: the
 * high-retention people query then finds each key's day 0, account and sessions in them.
 */
export function firstActivityAndSpansComplete(client: ClickHouseClient, projectId: string): Promise<boolean> {
  return sliceDone(client, projectId, [FIRST_ACTIVITY_SLICE, SPANS_SLICE])
}

/** Whether every plan row of `slices` is done (a slice never planned has nothing to do). */
async function sliceDone(client: ClickHouseClient, projectId: string, slices: readonly number[]): Promise<boolean> {
  return slicesDone(await sliceStates(client, projectId), slices)
}

const slicesDone = (rows: readonly { slice: number; state: string }[], slices: readonly number[]): boolean =>
  rows.every((r) => !slices.includes(r.slice) || r.state === 'done')

/** Which kept tables a report can read for a project: `combosComplete`, `personDaysComplete`, `firstActivityComplete`. */
export interface RollupReadiness {
  combos: boolean
  personDays: boolean
  firstActivity: boolean
}

/** The plan rows each of `RollupReadiness` waits for. */
const READINESS_SLICES: Record<keyof RollupReadiness, readonly number[]> = {
  combos: [COMBOS_SLICE],
  personDays: [PERSON_DAYS_SLICE, COMBOS_SLICE],
  firstActivity: [FIRST_ACTIVITY_SLICE],
}

/**
 * `RollupReadiness` from one read of the plan rows. A report that knows it before its queries can
 * send each of them the moment it is due: on the embedded engine, which answers one query at a
 * time, a status read in between waits for the JavaScript that runs meanwhile, and the engine idles.
 */
export async function rollupReadiness(client: ClickHouseClient, projectId: string): Promise<RollupReadiness> {
  const rows = await sliceStates(client, projectId)
  return {
    combos: slicesDone(rows, READINESS_SLICES.combos),
    personDays: slicesDone(rows, READINESS_SLICES.personDays),
    firstActivity: slicesDone(rows, READINESS_SLICES.firstActivity),
  }
}

/** A month's plan row (YYYYMM), as opposed to the plan itself (0) and the one-shot tables' rows. */
const isMonth = (slice: number): boolean => slice >= 100_000
