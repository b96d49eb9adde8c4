import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { up as quarantineTable } from '../../analysis/src/store/migrations/023_quarantine.js'
import { createCollector, type Collector } from '../src/index.js'
import { spoolLine } from '../src/ingest/encoded.js'
import { buildEventRow } from '../src/ingest/event-row.js'
import { eventRowJson } from '../src/ingest/rows.js'
import type { RowSink } from '../src/ingest/sink.js'
import { NO_AGENT } from '../src/ingest/ua.js'
import { count, post, sdkBatch, sdkEvent } from './helpers.js'

// Issue 12, item 2: rows the store refuses, whatever validation missed, are isolated and moved to
// the quarantine in the same insert round; everything else, of every project, is stored.

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tenure-quarantine-'))
  dirs.push(d)
  return d
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
const ENV = { TENURE_WRITE_KEY: 'wk_quarantine', TENURE_SECRET_KEY: 'sk_quarantine' }
const auth = (key: string) => ({ authorization: `Bearer ${key}` })

interface Listed {
  total: number
  rows: { id: string; target: string; row: unknown[]; error: string; status: string }[]
}
const list = async (c: Collector, key: string, q = ''): Promise<Listed> => {
  const res = await c.app.request(`/v1/quarantine${q}`, { headers: auth(key) })
  expect(res.status).toBe(200)
  return res.json() as Promise<Listed>
}

/** A sink that turns the event name `poison-me` into a lone surrogate escape on its way to the engine: a row validation missed. */
const poisoning = (sink: RowSink): RowSink => ({
  insert(b) {
    const text = b.events.toString('utf8')
    if (!text.includes('"poison-me"')) return sink.insert(b)
    return sink.insert({ ...b, events: Buffer.from(text.replaceAll('"poison-me"', '"x\\ud800"')) })
  },
})

describe('poison isolation', () => {
  it('stores the rest of the insert, quarantines the refused row with the reason, counts it everywhere', async () => {
    const c = await createCollector({ env: ENV, dataDir: tmp(), wrapSink: poisoning, config: { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } } })
    try {
      const other = await c.deps.projects.create({ name: 'other' })
      const p1 = c.bootstrap!.project.id
      // One request of each project lands in the same insert chunk.
      const [a, b] = await Promise.all([
        post(c, '/v1/batch', sdkBatch(ENV.TENURE_WRITE_KEY, [sdkEvent(), sdkEvent({ event: 'poison-me' }), sdkEvent()])),
        post(c, '/v1/batch', sdkBatch(other.writeKey, Array.from({ length: 5 }, () => sdkEvent()))),
      ])
      expect([a.status, b.status]).toEqual([200, 200])
      expect(await count(c, other.secretKey)).toBe(5)
      expect(await count(c, ENV.TENURE_SECRET_KEY)).toBe(2)
      const listed = await list(c, ENV.TENURE_SECRET_KEY)
      expect(listed.total).toBe(1)
      expect(listed.rows[0]).toMatchObject({ target: 'events', status: 'quarantined' })
      expect(listed.rows[0]!.row[2]).toBe('poison-me') // the row as accepted: the sink poisons it on the way
      expect(listed.rows[0]!.error).toMatch(/surrogate|escape/i)
      expect((await list(c, other.secretKey)).total).toBe(0)
      // Counted per project: /metrics, /healthz, overview.
      const metrics = await (await c.app.request('/metrics')).text()
      expect(metrics).toContain(`tenure_project_events_quarantined_total{project="${p1}"} 1`)
      expect(metrics).toMatch(/^tenure_events_quarantined_total 1$/m)
      const health = (await (await c.app.request('/healthz', { headers: auth(ENV.TENURE_SECRET_KEY) })).json()) as { status: string; project: { counters: Record<string, number> } }
      expect(health.status).toBe('ok')
      expect(health.project.counters).toMatchObject({ events_quarantined: 1, events_inserted: 2 })
      const login = await c.app.request('http://localhost/app/login', { method: 'POST', body: new URLSearchParams({ key: ENV.TENURE_SECRET_KEY, next: '/app' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' } })
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      const overview = await (await c.app.request('http://localhost/app', { headers: { cookie } })).text()
      expect(overview).toMatch(/Quarantined[\s\S]{0,200}>1</)
      // Refused again on re-insert (the fault is still there): stays listed.
      const again = await c.app.request('/v1/quarantine/reinsert', { method: 'POST', headers: { ...auth(ENV.TENURE_SECRET_KEY), 'content-type': 'application/json' }, body: '{}' })
      expect(await again.json()).toMatchObject({ reinserted: 0, refused: 1 })
      expect((await list(c, ENV.TENURE_SECRET_KEY)).total).toBe(1)
      // The API needs the secret key and checks its body.
      expect((await c.app.request('/v1/quarantine')).status).toBe(401)
      const bad = await c.app.request('/v1/quarantine/reinsert', { method: 'POST', headers: auth(ENV.TENURE_SECRET_KEY), body: '{"ids":["nope"]}' })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('ids.0')
    } finally {
      await c.close()
    }
  })

  it('replays a spool holding a refused row after a restart without stalling, and re-inserts it after the fix', async () => {
    const dataDir = tmp()
    let c = await createCollector({ env: ENV, dataDir })
    const other = await c.deps.projects.create({ name: 'other' })
    const p1 = c.bootstrap!.project.id
    await c.close()
    // A spool left by an earlier version that acknowledged a lone surrogate, followed by another project's record.
    const ctx = { receivedAt: Date.now(), skewMs: 0, lib: 'web', agent: NO_AGENT, ip: '' }
    const row = (project: string, event: string) => eventRowJson(buildEventRow({ ...sdkEvent({ event }), uuid: randomUUID() } as never, Date.now(), { ...ctx, projectId: project }))
    mkdirSync(join(dataDir, 'spool'), { recursive: true })
    writeFileSync(join(dataDir, 'spool', 'seg-0000000100.log'), [
      spoolLine([row(p1, 'fine'), row(p1, 'bad\ud800'), row(p1, 'fine')], [], [], p1),
      spoolLine([row(other.project.id, 'fine'), row(other.project.id, 'fine')], [], [], other.project.id),
    ].join('\n') + '\n')
    c = await createCollector({ env: ENV, dataDir })
    try {
      expect(await count(c, other.secretKey)).toBe(2)
      expect(await count(c, ENV.TENURE_SECRET_KEY)).toBe(2)
      const listed = await list(c, ENV.TENURE_SECRET_KEY)
      expect(listed.total).toBe(1)
      expect(listed.rows[0]!.error).toMatch(/surrogate|escape/i)
      expect(c.deps.ingest.stats()).toMatchObject({ storeUp: true, replaySegments: 0 })
      expect(c.deps.metrics.projectSnapshot(p1).counters).toMatchObject({ events_replayed: 2, events_quarantined: 1 })
      // After the fix (strings made well-formed), the row goes in.
      const res = await c.app.request('/v1/quarantine/reinsert', { method: 'POST', headers: { ...auth(ENV.TENURE_SECRET_KEY), 'content-type': 'application/json' }, body: JSON.stringify({ ids: [listed.rows[0]!.id] }) })
      expect(await res.json()).toMatchObject({ reinserted: 1, refused: 0 })
      expect(await count(c, ENV.TENURE_SECRET_KEY)).toBe(3)
      expect(await count(c, ENV.TENURE_SECRET_KEY, 'bad\ufffd')).toBe(1)
      expect((await list(c, ENV.TENURE_SECRET_KEY)).total).toBe(0)
      expect((await list(c, ENV.TENURE_SECRET_KEY, '?status=reinserted')).total).toBe(1)
      // New events keep flowing.
      expect((await post(c, '/v1/batch', sdkBatch(other.writeKey, [sdkEvent()]))).status).toBe(200)
      expect(await count(c, other.secretKey)).toBe(3)
    } finally {
      await c.close()
    }
  })

  it('writes refused rows to a file beside the spool when the quarantine table refuses them too, and moves them in at the next start', async () => {
    const dataDir = tmp()
    let c = await createCollector({ env: ENV, dataDir, wrapSink: poisoning })
    const file = join(dataDir, 'quarantine.jsonl')
    try {
      await c.deps.store.client.command({ query: 'DROP TABLE quarantine' })
      expect((await post(c, '/v1/batch', sdkBatch(ENV.TENURE_WRITE_KEY, [sdkEvent(), sdkEvent({ event: 'poison-me' })]))).status).toBe(200)
      await c.deps.ingest.flush()
      expect(c.deps.ingest.stats()).toMatchObject({ storeUp: true, backlogEvents: 0 })
      expect(c.deps.metrics.get('quarantine_file_rows')).toBe(1)
      expect(readFileSync(file, 'utf8')).toContain('poison-me')
      expect(await count(c, ENV.TENURE_SECRET_KEY)).toBe(1)
      for (const statement of quarantineTable({})) await c.deps.store.client.command({ query: statement })
    } finally {
      await c.close()
    }
    c = await createCollector({ env: ENV, dataDir })
    try {
      expect(existsSync(file)).toBe(false)
      const listed = await list(c, ENV.TENURE_SECRET_KEY)
      expect(listed.total).toBe(1)
      expect(listed.rows[0]!.row[2]).toBe('poison-me')
    } finally {
      await c.close()
    }
  })
})
