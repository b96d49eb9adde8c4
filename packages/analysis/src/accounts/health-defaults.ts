import type { ClickHouseClient } from '@clickhouse/client'
import { daysBetween, type IsoDate } from './dates.js'
import { NON_ACTIVITY_EVENTS } from '../events.js'
import { firstActivityComplete } from '../rollup/status.js'
import { shareInFlight } from '../sql/in-flight.js'

/** The long defaults: three months of usage, scored a quarter before the renewal. */
export const FULL_WINDOW_DAYS = 90
export const FULL_HORIZON_DAYS = 90

export interface HealthWindows {
  windowDays: number
  horizonDays: number
  /** First day with activity (see `historyStart`), null when there is none. */
  historyFrom: IsoDate | null
  /** Days of stored history up to the report date. */
  historyDays: number
  /** How the windows were chosen, in words (shown beside the report). */
  note: string
}

/**
 * The first day of the project's activity (its people's own doing, which is all usage measures),
 * or null when there is none. Read from `first_activity` (one row per user key, kept at ingest)
 * once it holds every stored key; finding the earliest bucket of the rollup instead read every
 * row of the project's history. While the background job still fills it, it is the events'
 * earliest activity. Days are UTC days, as the rollup's.
 */
export function historyStart(
  client: ClickHouseClient,
  projectId: string,
  /** Whether `first_activity` is complete, when the caller knows (see `firstActivityComplete`). */
  firstActivity?: boolean,
): Promise<IsoDate | null> {
  // The account page asks for it beside the health report, which asks too.
  return shareInFlight(client, JSON.stringify(['history start', projectId]), () => readHistoryStart(client, projectId, firstActivity))
}

async function readHistoryStart(client: ClickHouseClient, projectId: string, firstActivity?: boolean): Promise<IsoDate | null> {
  const kept = firstActivity ?? (await firstActivityComplete(client, projectId))
  const rs = await client.query({
    query: kept
      ? 'SELECT toString(toDate(min(first))) AS first, count() AS n FROM first_activity WHERE project_id = {project:String}'
      : 'SELECT toString(toDate(min(timestamp))) AS first, count() AS n FROM events WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)}',
    query_params: { project: projectId, non_activity: NON_ACTIVITY_EVENTS },
    format: 'JSONEachRow',
  })
  const [row] = await rs.json<{ first: string; n: string }>()
  return row && Number(row.n) > 0 ? (row.first as IsoDate) : null
}

/**
 * Windows that fit the history that exists. A renewal is scored on the usage in
 * [due − horizon − window, due − horizon); a renewal whose window starts before the first event
 * cannot be scored. So the window and horizon together take at most a quarter of the history (two
 * thirds window, one third horizon), which leaves the later three quarters of the renewals to
 * learn from and to test on; from two years of history on, that is the full 90 + 90 days.
 * Given values are kept; the note says which were chosen and why.
 */
export function chooseWindows(asOf: IsoDate, historyFrom: IsoDate | null, given: { windowDays?: number; horizonDays?: number } = {}): HealthWindows {
  const historyDays = historyFrom ? Math.max(0, daysBetween(historyFrom, asOf)) : 0
  const budget = Math.min(FULL_WINDOW_DAYS + FULL_HORIZON_DAYS, Math.floor(historyDays / 4))
  const windowAuto = Math.min(FULL_WINDOW_DAYS, Math.max(7, Math.round((budget * 2) / 3)))
  const horizonAuto = Math.min(FULL_HORIZON_DAYS, Math.max(1, budget - windowAuto))
  const full = windowAuto === FULL_WINDOW_DAYS && horizonAuto === FULL_HORIZON_DAYS
  const windowDays = given.windowDays ?? windowAuto
  const horizonDays = given.horizonDays ?? horizonAuto
  const chosen = given.windowDays === undefined || given.horizonDays === undefined
  const what = `${windowDays}-day usage window, scored ${horizonDays} days before each renewal`
  const note = !historyFrom
    ? `${what}; no events are stored yet`
    : !chosen
      ? `${what} (as asked); ${historyDays} days of history since ${historyFrom}`
      : full
        ? `${what} (the defaults); ${historyDays} days of history since ${historyFrom}`
        : `${what}: shortened from 90 + 90 days to fit the ${historyDays} days of history since ${historyFrom}`
  return { windowDays, horizonDays, historyFrom, historyDays, note }
}
