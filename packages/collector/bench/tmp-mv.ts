import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, openStore } from '@tenure/analysis/store'
import { buildEventRow } from '../src/ingest/event-row.js'
import { parseAgent } from '../src/ingest/ua.js'
import { EVENT_COLUMNS, eventRowJson } from '../src/ingest/rows.js'

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36'
const dir = mkdtempSync(join(tmpdir(), 'tenure-mvbench-'))
const store = openStore({ kind: 'embedded', path: dir })
await migrate(store)
const agent = parseAgent(UA)
const PATHS = ['/app/dashboard', '/app/projects', '/app/reports', '/app/team', '/help/start', '/app/billing', '/app/integrations', '/']
let seq = 0
function chunk(n: number): Buffer {
  const now = Date.now()
  const lines: string[] = []
  for (let k = 0; k < n; k++) {
    const i = seq++
    const u = (i * 7919) % 3000
    const f = (i * 31) % 100
    const e = buildEventRow({
      uuid: randomUUID(), event: i % 3 === 0 ? '$pageview' : '$click', timestamp: now - ((i * 104729) % 86_400_000), anonymous_id: `anon-${u}`,
      user_id: `user-${u}`, account_id: `acct-${u % 300}`, session_id: `s-${u}-${i % 3}`, url: `https://app.example.com${PATHS[i % 8]}?x=1`,
      title: 'T',
      elements: i % 3 === 0 ? [] : [
        { tag: 'button', id: `b${f}`, classes: ['btn', `f${f}`], attrs: f < 20 ? { 'data-feature': `feat_${f}` } : {}, text: `Action ${f}`, nth: 1 },
        { tag: 'div', classes: ['toolbar'], nth: 0 },
        { tag: 'main', nth: 0 },
      ],
      feature_key: f < 20 && i % 3 !== 0 ? `feat_${f}` : undefined,
      properties: { plan: 'pro', i },
    } as never, now - ((i * 104729) % 86_400_000), { projectId: 'bench', receivedAt: now, skewMs: 0, lib: 'bench', agent, ip: '' })
    lines.push(eventRowJson(e))
  }
  return Buffer.from(lines.join('\n') + '\n')
}
async function phase(label: string, chunks = 5) {
  const bufs = Array.from({ length: chunks }, () => chunk(20_000))
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (const bytes of bufs) await store.insertBytes({ table: 'events', columns: EVENT_COLUMNS, format: 'JSONCompactEachRow', bytes })
  const s = (performance.now() - t0) / 1000
  const c = process.cpuUsage(c0)
  const n = chunks * 20_000
  console.log(`${label.padEnd(28)} ${Math.round(n / s).toLocaleString('en').padStart(8)} rows/s   ${((c.user + c.system) / n).toFixed(1)} µs cpu/row`)
  return { rate: n / s, cpu: (c.user + c.system) / n }
}
const VIEW = `CREATE MATERIALIZED VIEW IF NOT EXISTS activity_rollup_mv TO activity_rollup AS SELECT project_id, account_id, user_key, toUInt8(user_id != '') AS identified, toStartOfFifteenMinutes(timestamp) AS bucket, event, path, chain_hash, feature_key, element_text, toUInt32(0) AS origin, count() AS events FROM events GROUP BY project_id, account_id, user_key, identified, bucket, event, path, chain_hash, feature_key, element_text`
const mk = (sel: string, grp: string) => `CREATE MATERIALIZED VIEW IF NOT EXISTS activity_rollup_mv TO activity_rollup AS SELECT ${sel}, toUInt32(0) AS origin, count() AS events FROM events GROUP BY ${grp}`
const views: Record<string, string> = {
  none: '',
  minimal: mk(`project_id, '' AS account_id, '' AS user_key, 0 AS identified, toDateTime(0) AS bucket, '' AS event, '' AS path, 0 AS chain_hash, '' AS feature_key, '' AS element_text`, 'project_id'),
  user_bucket: mk(`project_id, account_id, user_key, 0 AS identified, toStartOfFifteenMinutes(timestamp) AS bucket, '' AS event, '' AS path, 0 AS chain_hash, '' AS feature_key, '' AS element_text`, 'project_id, account_id, user_key, bucket'),
  plus_event_path: mk(`project_id, account_id, user_key, 0 AS identified, toStartOfFifteenMinutes(timestamp) AS bucket, event, path, 0 AS chain_hash, '' AS feature_key, '' AS element_text`, 'project_id, account_id, user_key, bucket, event, path'),
  full: VIEW.slice(0, 0) || mk(`project_id, account_id, user_key, toUInt8(user_id != '') AS identified, toStartOfFifteenMinutes(timestamp) AS bucket, event, path, chain_hash, feature_key, element_text`, 'project_id, account_id, user_key, identified, bucket, event, path, chain_hash, feature_key, element_text'),
}
await phase('warm-up', 2)
await store.client.command({ query: 'ALTER TABLE events MODIFY SETTING non_replicated_deduplication_window = 0' })
const res: Record<string, { rate: number; cpu: number }[]> = Object.fromEntries(Object.keys(views).map((k) => [k, []]))
for (let r = 0; r < 3; r++) {
  for (const [k, v] of Object.entries(views)) {
    if (v) await store.client.command({ query: v })
    res[k]!.push(await phase(k, 4))
    if (v) await store.client.command({ query: 'DROP VIEW activity_rollup_mv' })
  }
}
for (const [k, v] of Object.entries(res)) {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!
  console.log(`median ${k.padEnd(24)} ${Math.round(med(v.map((x) => x.rate))).toLocaleString('en')} rows/s, ${med(v.map((x) => x.cpu)).toFixed(1)} µs cpu/row`)
}
const rs = await store.client.query({ query: 'SELECT (SELECT count() FROM events) e, (SELECT count() FROM activity_rollup) r', format: 'JSONEachRow' })
console.log(await rs.json())
await store.close()
rmSync(dir, { recursive: true, force: true })
