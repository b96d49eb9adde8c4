import type { Store } from '../store/client.js'
import { physicalTable, type DdlContext } from '../store/ddl.js'
import { ROLLUP_COLUMNS, ROLLUP_KEY } from '../store/migrations/043_rollup_sessions.js'
import { FIRST_TOUCH_GROUP, FIRST_TOUCH_SELECT, FIRST_TOUCH_SLICE } from '../store/migrations/044_first_touch.js'
import { COMBOS_SELECT, COMBOS_SLICE } from '../store/migrations/045_activity_combos.js'
import { ACTIVITY_WHERE, SPANS_GROUP, SPANS_SELECT, SPANS_SLICE } from '../store/migrations/046_session_spans.js'
import { FIRST_ACTIVITY_GROUP, FIRST_ACTIVITY_SELECT, FIRST_ACTIVITY_SLICE } from '../store/migrations/047_first_activity.js'
import { PERSON_DAYS_GROUP, PERSON_DAYS_SLICE, personDaysSelect } from '../store/migrations/048_person_days.js'

export interface BackfillProgress {
  project: string
  /** The table being filled: `activity_rollup` month by month, then the tables beside it, each in one statement. */
  table: string
  /** The month (YYYYMM) being added, null between months and for the tables beside the rollup. */
  month: number | null
  monthsDone: number
  months: number
}

/** Events stored before the plan row's cutoff, as the one-shot statements read them. */
const STORED_BEFORE = `project_id = {project:String} AND inserted_at < toDateTime64({cutoff:String}, 3, 'UTC')`

/**
 * Tables a later migration added beside the rollup, each filled once per project from the events
 * stored before it (its plan row's `cutoff`), by a statement that can run again without harm.
 */
interface OneShot {
  table: string
  sql: string
  /** What a run does first, when running `sql` twice would count twice. */
  restart?: (ctx: DdlContext) => string
}
const ONE_SHOT: ReadonlyMap<number, OneShot> = new Map<number, OneShot>([
  // Earliest page view per user key: running it again (after an interruption) changes nothing.
  [FIRST_TOUCH_SLICE, {
    table: 'first_touch',
    sql: `INSERT INTO first_touch (project_id, identified, user_key, first_at, touch)
    ${FIRST_TOUCH_SELECT}
    FROM events WHERE ${STORED_BEFORE} AND event = '$pageview'
    ${FIRST_TOUCH_GROUP}`,
  }],
  // Distinct combinations, read by combination: a repeat is folded away.
  [COMBOS_SLICE, {
    table: 'activity_combos',
    sql: `INSERT INTO activity_combos SELECT DISTINCT ${COMBOS_SELECT}
    FROM events WHERE ${STORED_BEFORE}`,
  }],
  // Sessions' first and last activity per day: a repeat merges to the same earliest and latest.
  [SPANS_SLICE, {
    table: 'session_spans',
    sql: `INSERT INTO session_spans
    ${SPANS_SELECT}
    FROM events WHERE ${STORED_BEFORE} AND ${ACTIVITY_WHERE}
    ${SPANS_GROUP}`,
  }],
  // Each user key's earliest quarter hour of activity: a repeat merges to the same earliest.
  [FIRST_ACTIVITY_SLICE, {
    table: 'first_activity',
    sql: `INSERT INTO first_activity
    ${FIRST_ACTIVITY_SELECT}
    FROM events WHERE ${STORED_BEFORE} AND ${ACTIVITY_WHERE}
    ${FIRST_ACTIVITY_GROUP}`,
  }],
  // Counts per person-day: a repeat would add them again, so the job's own rows go first.
  [PERSON_DAYS_SLICE, {
    table: 'person_days',
    sql: `INSERT INTO person_days
    ${personDaysSelect(1)}
    FROM events WHERE ${STORED_BEFORE} AND ${ACTIVITY_WHERE}
    ${PERSON_DAYS_GROUP}`,
    restart: (ctx) => `ALTER TABLE ${physicalTable(ctx, 'person_days')}${ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : ''}
      DELETE WHERE project_id = {project:String} AND origin = 1`,
  }],
])

const STATE_SQL = `SELECT project_id, slice, toString(argMax(cutoff, updated_at)) AS cutoff, argMax(state, updated_at) AS state
FROM activity_rollup_backfill WHERE project_id IN (
  SELECT project_id FROM activity_rollup_backfill WHERE slice IN (0, ${[...ONE_SHOT.keys()].join(', ')}) GROUP BY project_id, slice HAVING argMax(state, updated_at) != 'done'
) GROUP BY project_id, slice ORDER BY project_id, slice`

/**
 * Adds the events stored before the activity rollup existed (migration 031) to it, project by
 * project and month by month (a month = the events whose timestamp falls in it, inserted before the
 * project's cutoff; the view took every later insert). Restartable: a month is marked `started`
 * before its rows are written and `done` after; a month found `started` (interrupted) first loses
 * the rows it wrote, found by their `origin`, and is then written again. Aggregation follows the
 * events' sort key (project, account, user key), so memory stays bounded whatever the month's size.
 * Then, for a project planned by migration 044, the page views stored before it go to `first_touch`
 * (earliest per user key, so a run repeated after an interruption adds nothing new), and for a
 * project planned by migration 045, the combinations of the events stored before it go to
 * `activity_combos` (distinct, so a repeated run adds nothing either), and for one planned by
 * migration 046 their sessions' spans go to `session_spans` (earliest and latest: the same), and
 * for one planned by migration 047 each user key's first activity goes to `first_activity` (the same),
 * and for one planned by migration 048 their person-days go to `person_days` (counts: the rows an
 * earlier, interrupted run wrote are deleted first).
 * Returns the projects completed, and whether `stop` ended the run before the last one.
 */
export async function backfillActivityRollup(
  store: Store,
  onProgress: (p: BackfillProgress) => void = () => {},
  /** Asked between months: true stops the job there (it resumes on the next run). */
  stop: () => boolean = () => false,
): Promise<{ projects: number; stopped: boolean }> {
  const ctx: DdlContext = { cluster: store.cluster }
  const client = store.client
  const rows = await (await client.query({ query: STATE_SQL, format: 'JSONEachRow' })).json<{ project_id: string; slice: number; cutoff: string; state: string }>()
  // Per project: the rollup's plan (slice 0) and its months, and the one-shot tables' plans still to do (with their cutoffs).
  const projects = new Map<string, { cutoff: string; rollup: boolean; oneShot: Map<number, string>; states: Map<number, string> }>()
  for (const r of rows) {
    const p = projects.get(r.project_id) ?? { cutoff: '', rollup: false, oneShot: new Map<number, string>(), states: new Map<number, string>() }
    const slice = Number(r.slice)
    if (slice === 0) Object.assign(p, { cutoff: r.cutoff, rollup: r.state !== 'done' })
    else if (ONE_SHOT.has(slice)) {
      if (r.state !== 'done') p.oneShot.set(slice, r.cutoff)
    } else p.states.set(slice, r.state)
    projects.set(r.project_id, p)
  }
  const mark = (project: string, slice: number, cutoff: string, state: string) =>
    client.insert({
      table: 'activity_rollup_backfill',
      values: [{ project_id: project, slice, cutoff, state, updated_at: nowText() }],
      format: 'JSONEachRow',
    })
  let completed = 0
  for (const [project, { cutoff, rollup, oneShot, states }] of projects) {
    if (rollup) {
      const r = await backfillMonths(project, cutoff, states)
      if (r === 'stopped') return { projects: completed, stopped: true }
    }
    for (const [slice, sliceCutoff] of oneShot) {
      if (stop()) return { projects: completed, stopped: true }
      const { table, sql, restart } = ONE_SHOT.get(slice)!
      onProgress({ project, table, month: null, monthsDone: 0, months: 0 })
      if (restart) await client.command({ query: restart(ctx), query_params: { project }, clickhouse_settings: { mutations_sync: '2' } })
      await client.command({
        query: sql,
        query_params: { project, cutoff: sliceCutoff },
        // Grouping that follows the events' sort key (the spans') streams instead of holding every group.
        clickhouse_settings: { optimize_aggregation_in_order: 1, insert_distributed_sync: 1 },
      })
      await mark(project, slice, sliceCutoff, 'done')
    }
    completed += 1
  }
  return { projects: completed, stopped: false }

  async function backfillMonths(project: string, cutoff: string, states: Map<number, string>): Promise<'done' | 'stopped'> {
    const params = { project, cutoff }
    const monthRows = await (await client.query({
      query: `SELECT DISTINCT toYYYYMM(timestamp) AS month FROM events
        WHERE project_id = {project:String} AND inserted_at < toDateTime64({cutoff:String}, 3, 'UTC') ORDER BY month`,
      query_params: params,
      format: 'JSONEachRow',
    })).json<{ month: number }>()
    const months = monthRows.map((r) => Number(r.month))
    const unplanned = months.filter((m) => !states.has(m))
    // Every month listed up front, so progress can say how many there are.
    if (unplanned.length) {
      await client.insert({
        table: 'activity_rollup_backfill',
        values: unplanned.map((slice) => ({ project_id: project, slice, cutoff, state: 'pending', updated_at: nowText() })),
        format: 'JSONEachRow',
      })
    }
    let done = months.filter((m) => states.get(m) === 'done').length
    for (const month of months) {
      if (states.get(month) === 'done') continue
      if (stop()) return 'stopped'
      onProgress({ project, table: 'activity_rollup', month, monthsDone: done, months: months.length })
      if (states.get(month) === 'started') {
        await client.command({
          query: `ALTER TABLE ${physicalTable(ctx, 'activity_rollup')}${ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : ''}
            DELETE WHERE project_id = {project:String} AND origin = {month:UInt32}`,
          query_params: { ...params, month },
          clickhouse_settings: { mutations_sync: '2' },
        })
      }
      await mark(project, month, cutoff, 'started')
      await client.command({
        query: `INSERT INTO activity_rollup (${ROLLUP_KEY}, origin, events)
          SELECT ${ROLLUP_COLUMNS}, toUInt32({month:UInt32}) AS origin, count() AS events
          FROM events
          WHERE project_id = {project:String} AND inserted_at < toDateTime64({cutoff:String}, 3, 'UTC')
            AND timestamp >= toDateTime64(toStartOfMonth(toDate({first:String})), 3, 'UTC')
            AND timestamp < toDateTime64(addMonths(toStartOfMonth(toDate({first:String})), 1), 3, 'UTC')
          GROUP BY ${ROLLUP_KEY}`,
        query_params: { ...params, month, first: `${String(month).slice(0, 4)}-${String(month).slice(4)}-01` },
        clickhouse_settings: { optimize_aggregation_in_order: 1, insert_distributed_sync: 1 },
      })
      await mark(project, month, cutoff, 'done')
      done += 1
    }
    await mark(project, 0, cutoff, 'done')
    onProgress({ project, table: 'activity_rollup', month: null, monthsDone: done, months: months.length })
    return 'done'
  }
}

function nowText(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '')
}
