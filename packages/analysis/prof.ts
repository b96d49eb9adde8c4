import { openStore } from './src/store/client.js'
import { healthReport } from './src/accounts/health-report.js'
const s = openStore({ kind: 'embedded', path: process.env.DIR! })
const c = s.client as any
const log: { sql: string; ms: number; cpu: number }[] = []
const orig = c.query.bind(c)
let chain: Promise<unknown> = Promise.resolve()
c.query = (p: any) => {
  const run = chain.then(async () => {
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const rs = await orig(p)
    const out = await rs.json()
    const d = process.cpuUsage(c0)
    log.push({ sql: String(p.query).replace(/\s+/g, ' ').trim().slice(0, 100), ms: performance.now() - t0, cpu: (d.user + d.system) / 1000 })
    return { json: async () => out }
  })
  chain = run.catch(() => {})
  return run
}
for (let i = 0; i < 2; i++) {
  log.length = 0
  const t = performance.now()
  await healthReport(c, { projectId: process.env.PROJ ?? 'bench', asOf: process.env.ASOF ?? '2024-06-29' })
  console.log('health', Math.round(performance.now() - t))
  for (const q of [...log].sort((a, b) => b.cpu - a.cpu).slice(0, 9)) console.log(`  ${Math.round(q.ms)} ms  cpu ${Math.round(q.cpu)} ms  ${q.sql}`)
  console.log('  total cpu', Math.round(log.reduce((a, q) => a + q.cpu, 0)), 'queries', log.length)
}
await s.close()
