/**
 * Where a health report's time goes, on the data folder dashboard-pages.bench.ts keeps: every query
 * it sends, when it started (ms after the report began), its elapsed time and the process CPU time
 * meanwhile (the embedded engine runs in this process), then the report's total. The report is
 * computed three times per project (the first pays for the engine's cold caches). With SERIAL=1
 * queries run one at a time, so each figure is that query's own; without, they overlap as they do
 * in a page. CPU time says more than elapsed time on a machine other work shares.
 *
 *   cd examples && BENCH_PAGES_DIR=/tmp/tenure-pages SERIAL=1 npx tsx bench/health-profile.ts
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { healthReport } from '@tenure/analysis'
import { openStore, type Store } from '@tenure/analysis/store'

type ClickHouseClient = Store['client']

const dir = process.env.BENCH_PAGES_DIR
if (!dir) throw new Error('BENCH_PAGES_DIR names the data folder dashboard-pages.bench.ts kept')
const SERIAL = process.env.SERIAL === '1'
const keys = JSON.parse(readFileSync(join(dir, 'bench-pages-keys.json'), 'utf8')) as Record<string, { id: string } | undefined>
const store = openStore({ kind: 'embedded', path: dir })

interface Logged { sql: string; startMs: number; ms: number; cpuMs: number }

const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since)
  return (c.user + c.system) / 1000
}

/** The store's client, logging each query with its rows read in full (as the report reads them). */
function timed(client: ClickHouseClient, log: Logged[], t0: number): ClickHouseClient {
  let queue = Promise.resolve()
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver)
      return async (args: Parameters<ClickHouseClient['query']>[0]) => {
        const before = queue
        let done = () => {}
        if (SERIAL) queue = new Promise<void>((r) => (done = r))
        await before
        const start = performance.now()
        const cpu0 = process.cpuUsage()
        try {
          const rows = await (await target.query(args)).json()
          log.push({ sql: args.query.replace(/\s+/g, ' ').trim().slice(0, 110), startMs: start - t0, ms: performance.now() - start, cpuMs: cpuMs(cpu0) })
          return { json: async () => rows }
        } finally {
          done()
        }
      }
    },
  })
}

const asOf = new Date().toISOString().slice(0, 10)
const pad = (n: number, w: number) => String(Math.round(n)).padStart(w)
for (const [label, p] of Object.entries(keys)) {
  if (!p) continue
  for (const run of ['first', 'second', 'third']) {
    const log: Logged[] = []
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const r = await healthReport(timed(store.client, log, t0), { projectId: p.id, asOf, quadrantThresholds: { health: 50, temperature: 50 } })
    const total = performance.now() - t0
    const inQueries = log.reduce((s, l) => s + l.cpuMs, 0)
    console.log(`\n${label} (${run}): ${Math.round(total)} ms, cpu ${Math.round(cpuMs(cpu0))} ms (${Math.round(inQueries)} ms during queries${SERIAL ? '' : ', overlapping'}); ${r.accounts.length} accounts, ${r.model.trainedOn} renewals, windows ${r.windowDays}/${r.horizonDays} days`)
    for (const l of log) console.log(`  +${pad(l.startMs, 5)} ${pad(l.ms, 6)} ms  cpu ${pad(l.cpuMs, 5)} ms  ${l.sql}`)
  }
}
await store.close()
