import { migrate, openStore } from '../../analysis/src/store/index.js'
import { featureRetentionReport } from '../../analysis/src/retention/feature-retention.js'
import { highRetentionReport } from '../../analysis/src/retention/high-retention.js'
import { ahaReport } from '../../analysis/src/retention/aha.js'
const ms = (t: bigint) => Math.round(Number(process.hrtime.bigint() - t) / 1e6)
const store = openStore({ kind: 'embedded', path: '/tmp/dash3-tmp/pages' })
await migrate(store)
const c = store.client
const rs = await c.query({ query: 'SELECT project_id, count() n FROM events GROUP BY project_id', format: 'JSONEachRow' })
const projects = await rs.json<{ project_id: string; n: string }>()
console.log(projects)
const project = projects.sort((a, b) => Number(b.n) - Number(a.n)).find((p) => Number(p.n) < 800_000)!.project_id
const to = '2026-12-05', from = '2026-09-07'
for (let i = 0; i < 3; i++) {
  const c0 = process.cpuUsage()
  let t = process.hrtime.bigint(); await featureRetentionReport(c, { project, from, to, days: '1,7,14,30' } as never); const a = ms(t)
  t = process.hrtime.bigint(); const h = await highRetentionReport(c, { project, from, to } as never); const b = ms(t)
  t = process.hrtime.bigint(); await ahaReport(c, { project, from, to, feature: h.features[0]!.featureId } as never); const d = ms(t)
  const cu = process.cpuUsage(c0)
  t = process.hrtime.bigint(); await Promise.all([featureRetentionReport(c, { project, from, to, days: '1,7,14,30' } as never), highRetentionReport(c, { project, from, to } as never)]); const par = ms(t)
  console.log({ retention: a, high: b, aha: d, cpu: Math.round((cu.user + cu.system) / 1000), parallelRetHigh: par })
}
