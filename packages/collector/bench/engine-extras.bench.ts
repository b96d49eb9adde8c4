/**
 * What each of the events table's extras costs an insert: the engine alone (rows encoded beforehand
 * and handed over as the collector does, 20,000-row inserts) with the schema as shipped, without each
 * materialized view in turn, without any, and into a bare MergeTree with the same column types. Rounds
 * alternate the variants so a shared machine's load falls on all alike. Rows are spread over a day,
 * 3,000 users, 8 paths and 100 element chains, so the views' groups are many (the costly case).
 * Prints a table and writes bench-results/collector-engine-extras.json at the repository root.
 *
 *   npx tsx --max-semi-space-size=64 bench/engine-extras.bench.ts
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrate, openStore } from '@tenure/analysis/store'
import { buildEventRow } from '../src/ingest/event-row.js'
import { EVENT_COLUMNS, eventRowJson } from '../src/ingest/rows.js'
import { parseAgent } from '../src/ingest/ua.js'
import type { EventInput } from '../src/schema/batch.js'
import { settle } from './settle.js'

const ROUNDS = 7
const INSERTS = 3
const ROWS = 20_000
const dir = mkdtempSync(join(tmpdir(), 'tenure-bench-view-'))
const store = openStore({ kind: 'embedded', path: dir })
await migrate(store)
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

async function phase(table = 'events'): Promise<{ rate: number; cpuUs: number }> {
  const batches = Array.from({ length: INSERTS }, insertBytes)
  await settle(store.client)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (const bytes of batches) await store.insertBytes({ table, columns: EVENT_COLUMNS, format: 'JSONCompactEachRow', bytes })
  const c = process.cpuUsage(c0)
  const n = INSERTS * ROWS
  return { rate: n / ((performance.now() - t0) / 1000), cpuUs: (c.user + c.system) / n }
}

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)))
const views = await (await store.client.query({
  query: `SELECT name, create_table_query AS ddl FROM system.tables
    WHERE database = currentDatabase() AND engine = 'MaterializedView'
      AND name IN (SELECT arrayJoin(dependencies_table) FROM system.tables WHERE database = currentDatabase() AND name = 'events')
    ORDER BY name`,
  format: 'JSONEachRow',
})).json<{ name: string; ddl: string }>()
// The same column names and types and nothing else: no defaults, sort key, partitions, indexes,
// replacing or syncing of parts (\`CREATE TABLE … AS events\` would copy the partitions and indexes).
await store.client.command({ query: 'CREATE TABLE events_bare ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM events WHERE 0' })
const drop = (names: string[]) => Promise.all(names.map((n) => store.client.command({ query: `DROP VIEW ${n}` })))
const create = async (names: string[]) => { for (const n of names) await store.client.command({ query: views.find((v) => v.name === n)!.ddl }) }
const all = views.map((v) => v.name)
type Variant = { name: string; run: () => Promise<{ rate: number; cpuUs: number }> }
const variants: Variant[] = [
  { name: 'as shipped', run: () => phase() },
  ...all.map((v): Variant => ({ name: `without ${v}`, run: async () => { await drop([v]); try { return await phase() } finally { await create([v]) } } })),
  { name: 'without any view', run: async () => { await drop(all); try { return await phase() } finally { await create(all) } } },
  { name: 'bare MergeTree, same columns', run: () => phase('events_bare') },
]
await phase()
const runs = new Map<string, { rate: number; cpuUs: number }[]>(variants.map((v) => [v.name, []]))
for (let r = 0; r < ROUNDS; r++) for (const v of variants) runs.get(v.name)!.push(await v.run())
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const rows = variants.map((v) => {
  const rs = runs.get(v.name)!
  return { variant: v.name, rowsPerS: Math.round(median(rs.map((x) => x.rate))), cpuUsPerRow: Number(median(rs.map((x) => x.cpuUs)).toFixed(1)) }
})
const shipped = rows[0]!.rowsPerS
// A view's share: the part of an insert's time as shipped that goes away without it.
const table = rows.map((r) => ({ ...r, timesShipped: Number((r.rowsPerS / shipped).toFixed(2)), shareOfShipped: r.variant.startsWith('without ') ? Number((1 - shipped / r.rowsPerS).toFixed(2)) : null }))
console.table(table.map((r) => ({ variant: r.variant, 'rows/s': r.rowsPerS, '× as shipped': r.timesShipped, 'share of the insert': r.shareOfShipped ?? '', 'cpu µs/row': r.cpuUsPerRow })))
console.log(`median of ${ROUNDS} rounds of ${INSERTS} inserts of ${ROWS.toLocaleString('en')} rows; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`)
const outDir = join(repoRoot, 'bench-results')
mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'collector-engine-extras.json'), JSON.stringify({
  benchmark: 'collector-engine-extras', date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
  rounds: ROUNDS, inserts: INSERTS, rowsPerInsert: ROWS, variants: table,
}, null, 2) + '\n')
await store.close()
rmSync(dir, { recursive: true, force: true })
