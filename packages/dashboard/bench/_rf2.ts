import { migrate, openStore } from '../../analysis/src/store/index.js'
import { readHighRetention, highRetentionOf } from '../../analysis/src/retention/high-retention.js'
import { queryPeople } from '../../analysis/src/retention/high-retention-people.js'
import { featureExperiments } from '../../analysis/src/retention/evidence.js'
const ms = (t: bigint) => Math.round(Number(process.hrtime.bigint() - t) / 1e6)
const store = openStore({ kind: 'embedded', path: '/tmp/dash3-tmp/pages' })
await migrate(store)
const c = store.client
const project = 'default'
const to = '2026-12-05', from = '2026-09-07'
for (let i = 0; i < 3; i++) {
  let t = process.hrtime.bigint(); let sql = 0
  const read = await readHighRetention(c, { project, from, to } as never, async (...a) => { const t2 = process.hrtime.bigint(); const r = await queryPeople(...a); sql = ms(t2); return r }); const r = ms(t)
  t = process.hrtime.bigint(); await featureExperiments(c, project, read.features.map((f) => f.id), { timezone: read.ctx.timezone, asOf: read.ctx.asOf, retentionDay: read.p.n, mode: read.p.mode }); const e = ms(t)
  t = process.hrtime.bigint(); highRetentionOf(read, read.rows as never); const js = ms(t)
  console.log(JSON.stringify({ read: r, peopleSql: sql, experimentsAlone: e, js, rows: read.rows.length, features: read.features.length, placebos: read.p.placebos }))
}
