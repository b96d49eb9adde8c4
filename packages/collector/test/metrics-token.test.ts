import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

const TOKEN = 'mt_operations_only'

describe('operational endpoints behind a metrics token', () => {
  let t: TestCollector
  const get = (path: string, bearer?: string) => Promise.resolve(t.collector.app.request(path, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {}))

  beforeAll(async () => {
    t = await startCollector({ config: { metricsToken: TOKEN } })
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ user_id: 'u1' })]))).status).toBe(200)
  })
  afterAll(() => t.cleanup())

  it('answers /metrics only to the token', async () => {
    expect((await get('/metrics')).status).toBe(401)
    expect((await get('/metrics', 'mt_wrong')).status).toBe(401)
    expect((await get('/metrics', t.secretKey)).status).toBe(401)
    const ok = await get('/metrics', TOKEN)
    expect(ok.status).toBe(200)
    expect(await ok.text()).toMatch(/^tenure_events_accepted_total 1$/m)
  })

  it('tells anyone whether the collector is up, and the figures only to the token or a project key', async () => {
    const open = (await (await get('/healthz')).json()) as Record<string, unknown>
    expect(open).toEqual({ status: 'ok', store: 'up', spool_disk: 'ok' })
    const operator = (await (await get('/healthz', TOKEN)).json()) as { counters: { events_accepted: number }; spool: unknown }
    expect(operator.counters.events_accepted).toBe(1)
    expect(operator.spool).toBeDefined()
    const project = (await (await get('/healthz', t.secretKey)).json()) as { counters?: unknown; project: { counters: { events_accepted: number } } }
    expect(project.counters).toBeUndefined()
    expect(project.project.counters.events_accepted).toBe(1)
    expect((await get('/healthz', 'mt_wrong')).status).toBe(401)
  })
})
