/**
 * Segments and breakdowns on the benchmark product (10 million events, 20k users, 2k accounts,
 * 50 features, 90 days; BENCH_EVENTS scales it): the high-retention report restricted to a
 * property segment (plan from identify traits), to a behavioural segment (active on ≥ 3 of the
 * last 14 days), and broken down by a 5-value property, each as a ratio to the unfiltered report
 * in the same run. Targets: ≤ 2× for the segments, ≤ 3× for the breakdown.
 *
 * Every user gets one identify event with a `plan` (five values) and a `role`. The data folder
 * is kept in the OS temp folder and reused when its shape matches. Writes
 * bench-results/analysis-segments.json at the repository root.
 */
import type { ClickHouseClient } from '@clickhouse/client'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFeature } from '../src/features/store.js'
import { highRetentionReport } from '../src/retention/high-retention.js'
import { highRetentionBreakdown } from '../src/segments/breakdown.js'
import type { SegmentDefinition } from '../src/segments/definition.js'
import { benchFeatures } from './features.js'
import { BENCH_SHAPE, generateEvents } from './generate.js'
import { openBenchData, writeBenchResult } from './data-folder.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const shape = { ...BENCH_SHAPE, events: Number(process.env.BENCH_EVENTS ?? BENCH_SHAPE.events) }
const marker = JSON.stringify({ ...shape, generator: 3, traits: 1 })
const dataDir = join(tmpdir(), `tenure-bench-segments-${shape.events}`)

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** One identify per user on their first event's time: plan (5 values, skewed) and role. */
async function generateTraits(client: ClickHouseClient): Promise<void> {
  await client.command({
    query: `INSERT INTO events (project_id, uuid, event, timestamp, client_timestamp, received_at, anonymous_id, user_id, account_id, session_id, url, path, host, properties, lib)
    SELECT project_id, generateUUIDv4(cityHash64(user_id)), '$identify', t, t, t, any_anon, user_id, '', '', '', '', '', 
      concat('{"plan":"', ['free', 'starter', 'team', 'business', 'enterprise'][1 + cityHash64(user_id, 7) % 5], '","role":"', if(cityHash64(user_id, 8) % 4 = 0, 'admin', 'member'), '"}'), 'bench'
    FROM (
      SELECT project_id, user_id, min(timestamp) AS t, any(anonymous_id) AS any_anon FROM events
      WHERE project_id = {p:String} AND user_id != '' GROUP BY project_id, user_id
    )`,
    query_params: { p: shape.project },
  })
}

async function main(): Promise<void> {
  const { store, reuse, markLoaded } = await openBenchData(dataDir, marker)
  const client = store.client
  try {
    if (!reuse) {
      console.log(`generating ${shape.events.toLocaleString()} events …`)
      await generateEvents(client, shape)
      await generateTraits(client)
      for (const f of benchFeatures(shape.features)) await createFeature(client, shape.project, f)
      markLoaded()
    } else console.log(`reusing ${dataDir}`)

    const params = { project: shape.project, from: '2024-01-01', to: '2024-03-01', n: 14, asOf: '2024-03-31', timezone: 'UTC' }
    const property: SegmentDefinition = { match: 'all', conditions: [{ type: 'property', property: 'person.plan', op: 'in', values: ['team', 'business'] }] }
    const behaviour: SegmentDefinition = { match: 'all', conditions: [{ type: 'active_days', minDays: 3, lastDays: 14 }] }
    const variants = {
      unfiltered: () => highRetentionReport(client, params),
      propertySegment: () => highRetentionReport(client, { ...params, segmentDef: property }),
      behaviouralSegment: () => highRetentionReport(client, { ...params, segmentDef: behaviour }),
      breakdown5: () => highRetentionBreakdown(client, { ...params, breakdown: 'person.plan', maxGroups: 5 }),
    }
    // First calls build the activity rows and warm the engine; they are not timed.
    const sizes: Record<string, unknown> = {}
    for (const [name, run] of Object.entries(variants)) {
      const r = await run()
      sizes[name] = 'groups' in r ? r.groups.map((g) => [g.value, g.report.population.newUsers]) : r.population.newUsers
    }
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so a change in the machine's load touches every variant alike.
      for (const [name, run] of Object.entries(variants)) {
        const t0 = process.hrtime.bigint()
        await run()
        times[name]!.push(ms(t0))
      }
    }
    const base = median(times.unfiltered!)
    const ratio = (k: string) => Number((median(times[k]!) / base).toFixed(2))
    const result = {
      benchmark: 'analysis-segments',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
      data: { events: shape.events, users: shape.users, features: shape.features, days: shape.days },
      runs: RUNS,
      ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { median: Math.round(median(v)), all: v.map(Math.round) }])),
      ratios: { propertySegment: ratio('propertySegment'), behaviouralSegment: ratio('behaviouralSegment'), breakdown5: ratio('breakdown5') },
      target: { segmentsWithin: 2, breakdownWithin: 3 },
      meetsTarget: ratio('propertySegment') <= 2 && ratio('behaviouralSegment') <= 2 && ratio('breakdown5') <= 3,
      population: sizes,
    }
    writeBenchResult('analysis-segments.json', result)
    console.log(JSON.stringify(result, null, 2))
  } finally {
    await store.close()
  }
}

await main()
