/**
 * What the activity rollup's view costs an insert: the engine alone (rows encoded beforehand and
 * handed over as the collector does, 20,000-row inserts), with and without the view, in rounds
 * that alternate so a shared machine's load falls on both alike. Rows are spread over a day, 3,000
 * users, 8 paths and 100 element chains, so the view's groups are many (the costly case).
 *
 *   npx tsx --max-semi-space-size=64 bench/rollup-view.bench.ts
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, openStore } from '@tenure/analysis/store'
import { up as rollupMigration } from '../../analysis/src/store/migrations/043_rollup_sessions.js'
import { buildEventRow } from '../src/ingest/event-row.js'
import { EVENT_COLUMNS, eventRowJson } from '../src/ingest/rows.js'
import { parseAgent } from '../src/ingest/ua.js'
import type { EventInput } from '../src/schema/batch.js'

const ROUNDS = 5
const INSERTS = 5
const ROWS = 20_000
const dir = mkdtempSync(join(tmpdir(), 'tenure-bench-view-'))
const store = openStore({ kind: 'embedded', path: dir })
await migrate(store)
const view = rollupMigration({}).find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))!
const agent = parseAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36')
const PATHS = ['/app/dashboard', '/app/projects', '/app/reports', '/app/team', '/help/start', '/app/billing', '/app/integrations', '/']
let seq = 0

function insertBytes(): Buffer {
  const now = Date.now()
  const lines: string[] = []
  for (let k = 0; k < ROWS; k++) {
    const i = seq++
    const u = (i * 7919) % 3000
    const f = (i * 31) % 100
    const ts = now - ((i * 104729) % 86_400_000)
    const click = i % 3 !== 0
    const e: EventInput = {
      uuid: randomUUID(), event: click ? '$click' : '$pageview', timestamp: ts, anonymous_id: `anon-${u}`, user_id: `user-${u}`,
      account_id: `acct-${u % 300}`, session_id: `s-${u}-${i % 3}`, url: `https://app.example.com${PATHS[i % 8]}?x=1`, title: 'Page',
      elements: click ? [
        { tag: 'button', id: `b${f}`, classes: ['btn', `f${f}`], attrs: f < 20 ? { 'data-feature': `feat_${f}` } : {}, text: `Action ${f}`, nth: 1 },
        { tag: 'div', classes: ['toolbar'], nth: 0 },
        { tag: 'main', nth: 0 },
      ] : [],
      feature_key: click && f < 20 ? `feat_${f}` : undefined,
      properties: { plan: 'pro', i },
    } as EventInput
    lines.push(eventRowJson(buildEventRow(e, ts, { projectId: 'bench', receivedAt: now, skewMs: 0, lib: 'bench', agent, ip: '' })))
  }
  return Buffer.from(lines.join('\n') + '\n')
}

async function phase(): Promise<{ rate: number; cpuUs: number }> {
  const batches = Array.from({ length: INSERTS }, insertBytes)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (const bytes of batches) await store.insertBytes({ table: 'events', columns: EVENT_COLUMNS, format: 'JSONCompactEachRow', bytes })
  const c = process.cpuUsage(c0)
  const n = INSERTS * ROWS
  return { rate: n / ((performance.now() - t0) / 1000), cpuUs: (c.user + c.system) / n }
}

await phase()
const runs: Record<'with view' | 'without view', { rate: number; cpuUs: number }[]> = { 'with view': [], 'without view': [] }
for (let r = 0; r < ROUNDS; r++) {
  runs['with view'].push(await phase())
  await store.client.command({ query: 'DROP VIEW activity_rollup_mv' })
  runs['without view'].push(await phase())
  await store.client.command({ query: view })
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const summary = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, { rowsPerS: Math.round(median(v.map((x) => x.rate))), cpuUsPerRow: Number(median(v.map((x) => x.cpuUs)).toFixed(1)) }]))
for (const [k, v] of Object.entries(summary)) console.log(`${k.padEnd(14)} ${v.rowsPerS.toLocaleString('en').padStart(8)} rows/s   ${v.cpuUsPerRow} µs cpu per row (median of ${ROUNDS})`)
console.log(`insert rate with the view: ${(summary['with view']!.rowsPerS / summary['without view']!.rowsPerS).toFixed(2)}× without; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`)
await store.close()
rmSync(dir, { recursive: true, force: true })
