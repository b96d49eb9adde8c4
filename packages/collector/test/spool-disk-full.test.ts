import { open } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SpoolFile } from '../src/ingest/spool.js'
import { count, post, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

// Issue 12, item 3: a full spool disk is a 503 to retry, never a 500, and nothing acknowledged is lost.
// The disk error is injected at the spool's file writes: the real disk is never filled.
let diskFull = false
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })
const openSpoolFile = async (path: string, flags: 'a'): Promise<SpoolFile> => {
  const fh = await open(path, flags)
  return {
    write: (buf) => (diskFull ? Promise.reject(enospc()) : fh.write(buf)),
    datasync: () => fh.datasync(),
    close: () => fh.close(),
  }
}

let t: TestCollector
beforeAll(async () => {
  t = await startCollector({ openSpoolFile, config: { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } } })
})
afterAll(() => t.cleanup())

const health = async () => {
  const res = await t.collector.app.request('/healthz')
  return { status: res.status, body: (await res.json()) as { status: string; spool_disk: string; problems?: string[] } }
}

describe('spool disk full', () => {
  it('answers 503 spool_full with Retry-After, says so on /healthz, and loses nothing acknowledged', async () => {
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent(), sdkEvent()]))).status).toBe(200)
    diskFull = true
    const refused = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent()]))
    expect(refused.status).toBe(503)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('spool_full')
    const track = await post(t.collector, '/v1/track', { writeKey: t.writeKey, userId: 'u', event: 'e' })
    expect(track.status).toBe(503)
    const h = await health()
    expect(h.body.status).toBe('degraded')
    expect(h.body.spool_disk).toBe('full')
    expect(h.body.problems?.join(' ')).toMatch(/spool/)
    expect(h.status).toBe(503)
    // Space again: the client's retry is taken, and every acknowledged event is stored.
    diskFull = false
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent()]))).status).toBe(200)
    expect((await health()).body).toMatchObject({ status: 'ok', spool_disk: 'ok' })
    expect(await count(t.collector, t.secretKey)).toBe(3)
    expect(t.collector.deps.metrics.projectSnapshot(t.collector.bootstrap!.project.id).counters.events_refused_spool_full).toBe(2)
  })
})
