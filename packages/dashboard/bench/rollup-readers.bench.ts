/**
 * The overview's figures and the nudge report on the retention benchmark's data (`BENCH_EVENTS`
 * events, 10 million by default, 90 days), each read the way it was before the activity rollup
 * (the raw-event queries kept as the tests' references) and the way it is now, in one run,
 * against one plain per-person count scan of the same table (`BENCH_RUNS` rounds, alternating).
 * Both readings are checked to give the same figures first. Writes
 * bench-results/dashboard-rollup-readers.json at the repository root.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { listFeatures } from '@tenure/analysis'
import { cpus, loadavg } from 'node:os'
import { writeBenchResult } from '../../analysis/bench/data-folder.js'
import { BENCH_NUDGE } from '../../analysis/bench/generate.js'
import { openRetentionData, retentionShape } from '../../analysis/bench/retention-data.js'
import { rawNudgeReportSql } from '../../analysis/src/nudges/__fixtures__/raw-report.sql.js'
import { nudgeReport } from '../../analysis/src/nudges/report.js'
import { nudgeReportSql, type NudgeReportQuery } from '../../analysis/src/nudges/report.sql.js'
import { rawOverview } from '../src/data/__fixtures__/overview-raw-reference.js'
import { overview } from '../src/data/overview.js'
import { addDays } from '../src/params.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const shape = retentionShape

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const t0 = process.hrtime.bigint()
  await run()
  return ms(t0)
}
const rows = async (client: ClickHouseClient, q: { sql: string; params: Record<string, unknown> }) =>
  (await client.query({ query: q.sql, query_params: q.params, format: 'JSONEachRow' })).json()

interface Case {
  name: string
  before: () => Promise<unknown>
  after: () => Promise<unknown>
}

async function main(): Promise<void> {
  const { store } = await openRetentionData()
  const client = store.client
  try {
    const countRs = await client.query({ query: 'SELECT count() AS n FROM events WHERE project_id = {p:String}', query_params: { p: shape.project }, format: 'JSONEachRow' })
    const events = Number((await countRs.json<{ n: string }>())[0]!.n)
    const scan = () =>
      timed(async () => (await client.query({
        query: 'SELECT user_key, count() AS c FROM events WHERE project_id = {p:String} GROUP BY user_key',
        query_params: { p: shape.project },
        format: 'JSONEachRow',
      })).json())

    const last = addDays(shape.start, shape.days - 1)
    const overviewCase = (label: string, from: string, tz: string): Case => {
      const p = { projectId: shape.project, from, to: last, tz }
      return { name: `overview, ${label} (${tz})`, before: () => rawOverview(client, p), after: () => overview(client, p).then((o) => ({ days: o.days, totals: o.totals })) }
    }
    const [feature] = await listFeatures(client, shape.project, { ids: [`f${BENCH_NUDGE.feature}`], includeDeleted: true })
    const asOf = '2024-03-31'
    const q: NudgeReportQuery = {
      project: shape.project, nudgeId: BENCH_NUDGE.id, featureRules: feature!.rules, timezone: 'UTC', asOf: `${asOf}T00:00:00.000Z`, asOfDay: asOf,
      adoptionDays: 7, retentionDay: 14, mode: 'on', holdoutShare: BENCH_NUDGE.holdoutShare,
    }
    const cases: Case[] = [
      overviewCase('last 28 days', addDays(last, -27), 'UTC'),
      overviewCase('all 90 days', shape.start, 'UTC'),
      overviewCase('last 28 days', addDays(last, -27), 'Asia/Kathmandu'),
      { name: 'nudge report query (adoption 7 d, day-14 retention)', before: () => rows(client, rawNudgeReportSql(q)), after: () => rows(client, nudgeReportSql(q)) },
    ]

    await scan()
    const results = []
    for (const c of cases) {
      // Same figures both ways, and each reading warmed once.
      const [a, b] = [await c.before(), await c.after()]
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${c.name}: the two readings differ:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`)
      const scans: number[] = []
      const before: number[] = []
      const after: number[] = []
      for (let i = 0; i < RUNS; i++) {
        scans.push(await scan())
        before.push(await timed(c.before))
        after.push(await timed(c.after))
      }
      const s = median(scans)
      const r = {
        name: c.name,
        scanMs: Math.round(s),
        beforeMs: Math.round(median(before)),
        afterMs: Math.round(median(after)),
        beforeRatio: Number((median(before) / s).toFixed(2)),
        afterRatio: Number((median(after) / s).toFixed(2)),
        speedup: Number((median(before) / median(after)).toFixed(1)),
      }
      console.log(JSON.stringify(r))
      results.push(r)
    }
    // The whole report as the API serves it (rows plus the rollup's coverage and the statistics).
    const reportMs: number[] = []
    for (let i = 0; i < RUNS; i++) reportMs.push(await timed(() => nudgeReport(client, { project: shape.project, nudgeId: BENCH_NUDGE.id, asOf, timezone: 'UTC', retentionDay: 14 })))

    const result = {
      benchmark: 'dashboard-rollup-readers',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
      data: { events, users: shape.users, days: shape.days },
      runs: RUNS,
      results,
      nudgeReportMs: Math.round(median(reportMs)),
    }
    writeBenchResult('dashboard-rollup-readers.json', result)
    console.log(JSON.stringify(result, null, 2))
  } finally {
    await store.close()
  }
}

await main()
