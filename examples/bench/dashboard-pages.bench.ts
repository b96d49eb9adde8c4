/**
 * Time to first byte and to the complete page of every dashboard page, on the demo history (loaded
 * through POST /v1/batch as `pnpm start` does) and, unless BENCH_PAGES_LARGE=0, on a second project
 * of about BENCH_PAGES_EVENTS (1,000,000) simulated events bulk-loaded into the same store. Pages
 * stream their shell first, so "first byte" is the shell and "complete" is when the report has
 * arrived. Each page is requested twice (cold, then warm) and both are printed. Writes
 * bench-results/dashboard-pages.json at the repository root. With BENCH_PAGES_DIR the data folder
 * (and the keys of both projects) is kept there, and a later run reuses it instead of loading again,
 * so pages can be timed before and after a change on the same data. The collector computes the
 * account pages' reports in the background from its start and keeps them in `<dir>/reports`, so on
 * a kept folder whose data and analysis code are unchanged their first request is served from
 * there; remove that folder to time their first computation (requested while the warm-up runs).
 *
 *   cd examples && npx tsx bench/dashboard-pages.bench.ts
 *   cd examples && BENCH_PAGES_DIR=/tmp/tenure-pages npx tsx bench/dashboard-pages.bench.ts
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCollector } from '@tenure/collector'
import { importDemoBook } from '../demo/book.js'
import { defineDemoFeatures } from '../demo/features.js'
import { countEvents, ensureDemoHistory } from '../demo/history.js'
import { parseSimConfig } from '../simulate/config.js'
import { usersForEvents } from '../simulate/scale.js'
import { runSimulation } from '../simulate/simulate.js'
import { BulkSink } from '../simulate/sinks/bulk.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LARGE = process.env.BENCH_PAGES_LARGE !== '0'
const LARGE_EVENTS = Number(process.env.BENCH_PAGES_EVENTS ?? 1_000_000)

const KEEP = process.env.BENCH_PAGES_DIR
const dir = KEEP ? (mkdirSync(KEEP, { recursive: true }), KEEP) : mkdtempSync(join(tmpdir(), 'tenure-bench-pages-'))
const keysFile = join(dir, 'bench-pages-keys.json')
interface Keys { demo?: { id: string; writeKey: string; secretKey: string }; large?: { id: string; secretKey: string } }
const keys: Keys = existsSync(keysFile) ? (JSON.parse(readFileSync(keysFile, 'utf8')) as Keys) : {}
const saveKeys = () => writeFileSync(keysFile, JSON.stringify(keys))
// Reports an earlier run kept (served at once when data and code are unchanged): said beside the figures.
const keptReports = existsSync(join(dir, 'reports'))
const collector = await createCollector({ dataDir: dir, env: {}, config: { rateLimit: { eventsPerSecond: 1_000_000, burst: 1_000_000 } } })
const { url } = await collector.listen(0)
if (!keys.demo) {
  const b = collector.bootstrap!
  keys.demo = { id: b.project.id, writeKey: b.writeKey, secretKey: b.secretKey }
  saveKeys()
}
const boot = { project: { id: keys.demo.id }, writeKey: keys.demo.writeKey, secretKey: keys.demo.secretKey }

interface Timing { page: string; status: number; firstByteMs: number; completeMs: number; bytes: number }

async function login(secretKey: string): Promise<string> {
  const res = await fetch(`${url}/app/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ key: secretKey }).toString(),
  })
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  if (!cookie) throw new Error(`login failed: ${res.status}`)
  return cookie
}

async function time(path: string, cookie: string): Promise<Timing> {
  const t0 = performance.now()
  const res = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' })
  const reader = res.body!.getReader()
  let first = -1
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (first < 0) first = performance.now() - t0
    if (done) break
    bytes += value.byteLength
  }
  const completeMs = performance.now() - t0
  return { page: path, status: res.status, firstByteMs: Math.round(first), completeMs: Math.round(completeMs), bytes }
}

async function firstIds(projectId: string): Promise<{ account: string; person: string }> {
  const rs = await collector.deps.store.client.query({
    query: `SELECT account_id, user_id FROM events WHERE project_id = {p:String} AND account_id != '' AND user_id != '' LIMIT 1`,
    query_params: { p: projectId }, format: 'JSONEachRow',
  })
  const [r] = await rs.json<{ account_id: string; user_id: string }>()
  return { account: r!.account_id, person: r!.user_id }
}

/** BENCH_PAGES_ONLY=health,calendar times only the pages whose path contains one of these. */
const ONLY = process.env.BENCH_PAGES_ONLY?.split(',').filter(Boolean)

function pages(ids: { account: string; person: string }): string[] {
  return ONLY ? allPages(ids).filter((p) => ONLY.some((o) => p.includes(o))) : allPages(ids)
}

function allPages(ids: { account: string; person: string }): string[] {
  return [
    '/app/accounts/health', '/app', '/app/features', '/app/retention', '/app/retention/features', '/app/accounts',
    '/app/accounts/worklist', '/app/accounts/calendar', `/app/account/${encodeURIComponent(ids.account)}`, '/app/nudges',
    `/app/people?q=${encodeURIComponent(ids.person.slice(0, 4))}`, `/app/person/${encodeURIComponent(ids.person)}`, '/app/live',
  ]
}

async function run(label: string, projectId: string, secretKey: string, events: number) {
  const cookie = await login(secretKey)
  const ids = await firstIds(projectId)
  const rows: (Timing & { run: string })[] = []
  console.log(`\n${label}: ${events.toLocaleString('en')} events`)
  console.log('page'.padEnd(44) + 'status  first byte  complete (cold)  complete (warm)')
  for (const p of pages(ids)) {
    const cold = await time(p, cookie)
    const warm = await time(p, cookie)
    rows.push({ ...cold, run: 'cold' }, { ...warm, run: 'warm' })
    console.log(`${p.slice(0, 43).padEnd(44)}${String(cold.status).padEnd(8)}${`${cold.firstByteMs} ms`.padEnd(12)}${`${cold.completeMs} ms`.padEnd(17)}${warm.completeMs} ms`)
  }
  return { label, events, pages: rows }
}

const results = []
const t0 = performance.now()
await ensureDemoHistory({ collector, url, writeKey: boot.writeKey, projectId: boot.project.id, dataDir: dir, log: (l) => console.log(l) })
const demoEvents = await countEvents(collector, boot.project.id)
console.log(`demo history loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
results.push(await run('demo data', boot.project.id, boot.secretKey, demoEvents))

if (LARGE) {
  if (!keys.large) {
    const big = await collector.deps.projects.create({ name: 'Large project' })
    const cfg = parseSimConfig({ seed: 2, days: 180, users: usersForEvents({ seed: 2, days: 180 }, LARGE_EVENTS) })
    const t1 = performance.now()
    const sink = new BulkSink({ store: collector.deps.store, projectId: big.project.id, rowsPerInsert: 100_000 })
    const { accountBook } = await runSimulation(cfg, (s) => sink.write(s))
    await sink.flush()
    await importDemoBook(collector.deps.store.client, big.project.id, accountBook)
    await defineDemoFeatures(collector.deps.store.client, big.project.id)
    console.log(`large project bulk-loaded in ${((performance.now() - t1) / 1000).toFixed(0)} s`)
    keys.large = { id: big.project.id, secretKey: big.secretKey }
    saveKeys()
  }
  const n = await countEvents(collector, keys.large.id)
  results.push(await run('large project', keys.large.id, keys.large.secretKey, n))
}

const out = {
  benchmark: 'dashboard-pages', date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadavg: loadavg() },
  targets: { demo_ms: 1000, large_ms: 2000 },
  keptReports,
  results,
}
mkdirSync(join(ROOT, 'bench-results'), { recursive: true })
writeFileSync(join(ROOT, 'bench-results', 'dashboard-pages.json'), JSON.stringify(out, null, 2) + '\n')
await collector.close()
if (!KEEP) rmSync(dir, { recursive: true, force: true })
