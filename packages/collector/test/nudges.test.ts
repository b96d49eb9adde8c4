import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '@tenure/analysis'
import { post, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
let auth: Record<string, string>
beforeAll(async () => {
  t = await startCollector()
  auth = { authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json' }
  await createFeature(t.collector.deps.store.client, 'default', { id: 'export', name: 'Export', rules: [{ type: 'element', selector: 'button#export' }] })
})
afterAll(() => t.cleanup())

const req = (path: string, init: RequestInit = {}) => Promise.resolve(t.collector.app.request(path, init))
const api = (path: string, method = 'GET', body?: unknown) => req(path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) })
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T

const NUDGE = {
  id: 'n_export',
  name: 'Try export',
  featureId: 'export',
  audience: { firstDays: 7, pages: ['/reports/**'] },
  placement: { type: 'tooltip', selector: '#export' },
  copy: { body: '<b>Export</b> this report', cta: { label: 'Show me', url: 'https://docs.example.com/export' } },
  holdoutShare: 0.2,
}

const batchAnswer = async (anon: string) => {
  const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ anonymous_id: anon, event: '$pageview', elements: undefined })]))
  expect(res.status).toBe(200)
  return json(res)
}

describe('nudge configuration API (secret key)', () => {
  it('needs the secret key, not the write key', async () => {
    expect((await req('/v1/nudges')).status).toBe(401)
    const res = await req('/v1/nudges', { method: 'POST', body: JSON.stringify(NUDGE), headers: { authorization: `Bearer ${t.writeKey}` } })
    expect(res.status).toBe(401)
    expect(await json(res)).toEqual({ error: { code: 'unauthorized', message: expect.any(String), field: null } })
    expect((await req('/v1/reports/nudges/n_export')).status).toBe(401)
  })

  it('creates a draft, refuses bad input naming the field, and a second copy', async () => {
    const res = await api('/v1/nudges', 'POST', NUDGE)
    expect(res.status).toBe(201)
    expect(await json(res)).toMatchObject({ id: 'n_export', status: 'draft', holdoutShare: 0.2, copy: NUDGE.copy })
    expect((await api('/v1/nudges', 'POST', NUDGE)).status).toBe(409)
    const bad = await api('/v1/nudges', 'POST', { ...NUDGE, id: undefined, copy: { body: 'x', cta: { label: 'Go', url: 'javascript:alert(1)' } } })
    expect(bad.status).toBe(400)
    expect(await json(bad)).toEqual({ error: { code: 'invalid_body', message: expect.stringMatching(/^copy\.cta\.url: /), field: 'copy.cta.url' } })
    const noFeature = await api('/v1/nudges', 'POST', { ...NUDGE, id: undefined, featureId: 'nope' })
    expect(await json(noFeature)).toMatchObject({ error: { code: 'invalid_body', field: 'featureId' } })
    const broken = await req('/v1/nudges', { method: 'POST', headers: auth, body: '{"name":' })
    expect(broken.status).toBe(400)
    expect((await json<{ error: { code: string } }>(broken)).error.code).toBe('invalid_json')
    const reserved = await api('/v1/nudges', 'POST', { ...NUDGE, id: 'active' })
    expect(await json(reserved)).toMatchObject({ error: { code: 'invalid_body', field: 'id' } })
  })

  it('reads, lists and updates', async () => {
    expect(await json(await api('/v1/nudges/n_export'))).toMatchObject({ id: 'n_export', name: 'Try export' })
    expect((await api('/v1/nudges/n_none')).status).toBe(404)
    expect((await json<{ nudges: { id: string }[] }>(await api('/v1/nudges?status=draft'))).nudges.map((n) => n.id)).toEqual(['n_export'])
    expect((await api('/v1/nudges?status=bogus')).status).toBe(400)
    const res = await api('/v1/nudges/n_export', 'PUT', { ...NUDGE, name: 'Try the export' })
    expect(await json(res)).toMatchObject({ name: 'Try the export', version: 2 })
  })
})

describe('delivery to pages (write key)', () => {
  it('tells pages to load the nudge chunk only while a nudge is active', async () => {
    expect(await batchAnswer('before')).not.toHaveProperty('nudges')
    const started = await api('/v1/nudges/n_export/start', 'POST')
    expect(await json(started)).toMatchObject({ status: 'active' })
    expect(await batchAnswer('during')).toMatchObject({ ok: true, nudges: true })
  })

  it('serves the active nudges with CORS, compiled page patterns and no plan names', async () => {
    expect((await req('/v1/nudges/active')).status).toBe(401)
    expect(await json(await req('/v1/nudges/active?write_key=wk_nope'))).toMatchObject({ error: { code: 'invalid_write_key' } })
    const res = await req(`/v1/nudges/active?write_key=${t.writeKey}`, { headers: { origin: 'https://app.example.com' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('cache-control')).toBe('public, max-age=60')
    expect(await json(res)).toEqual({
      nudges: [{
        id: 'n_export', pages: ['^/reports/.*/?$'], holdoutShare: 0.2, frequency: { maxShows: 3, minHoursBetween: 24 },
        placement: { type: 'tooltip', selector: '#export', side: 'bottom', fallback: 'banner' }, copy: NUDGE.copy,
      }],
    })
  })

  it('answers eligibility per user: new users yes, users who used the feature no, visitors not signed in no', async () => {
    const ask = async (qs: string) => json<{ eligible: string[] }>(await req(`/v1/nudges/eligibility?write_key=${t.writeKey}&${qs}`))
    expect(await ask('anonymous_id=brand-new&user_id=u-brand-new')).toEqual({ eligible: ['n_export'] })
    // The audience is identified new users unless the nudge asks for anonymous visitors too.
    expect(await ask('anonymous_id=brand-new')).toEqual({ eligible: [] })
    const used = sdkEvent({ anonymous_id: 'a-used', user_id: 'u-used', elements: [{ tag: 'button', id: 'export', text: 'Export', nth: 0 }] })
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [used]))).status).toBe(200)
    await t.collector.deps.ingest.flush()
    expect(await ask('anonymous_id=other-device&user_id=u-used')).toEqual({ eligible: [] })
    const missing = await req(`/v1/nudges/eligibility?write_key=${t.writeKey}`)
    expect(missing.status).toBe(400)
    expect(await json(missing)).toMatchObject({ error: { code: 'invalid_query', field: 'anonymous_id' } })
  })

  it('stops: pages are told at their next batch', async () => {
    expect(await json(await api('/v1/nudges/n_export/stop', 'POST'))).toMatchObject({ status: 'stopped' })
    expect(await batchAnswer('after')).not.toHaveProperty('nudges')
    expect(await json(await req(`/v1/nudges/active?write_key=${t.writeKey}`))).toEqual({ nudges: [] })
  })
})

describe('nudge report', () => {
  it('shows the arms from recorded events', async () => {
    const events = [
      sdkEvent({ anonymous_id: 'r1', event: '$nudge_shown', elements: undefined, properties: { nudge_id: 'n_export' } }),
      sdkEvent({ anonymous_id: 'r2', event: '$nudge_shown', elements: undefined, properties: { nudge_id: 'n_export' } }),
      sdkEvent({ anonymous_id: 'r3', event: '$nudge_held_out', elements: undefined, properties: { nudge_id: 'n_export' } }),
      sdkEvent({ anonymous_id: 'r1', elements: [{ tag: 'button', id: 'export', text: 'Export', nth: 0 }] }),
    ]
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, events))).status).toBe(200)
    await t.collector.deps.ingest.flush()
    const asOf = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10)
    const res = await api(`/v1/reports/nudges/n_export?as_of=${asOf}&min_n=1`)
    expect(res.status).toBe(200)
    const r = await json<{ counts: Record<string, number>; adoption: { shown: { k: number; n: number }; heldOut: { k: number; n: number }; p: number | null } }>(res)
    expect(r.counts).toMatchObject({ eligible: 3, shown: 2, heldOut: 1 })
    expect(r.adoption.shown).toMatchObject({ k: 1, n: 2 })
    expect(r.adoption.heldOut).toMatchObject({ k: 0, n: 1 })
    expect(typeof r.adoption.p).toBe('number')
  })

  it('names bad parameters as sent and answers 404 for unknown nudges', async () => {
    const bad = await api('/v1/reports/nudges/n_export?retention_day=-1')
    expect(bad.status).toBe(400)
    expect(await json(bad)).toMatchObject({ error: { code: 'invalid_query', field: 'retention_day', message: expect.stringMatching(/^retention_day: /) } })
    expect((await api('/v1/reports/nudges/n_none')).status).toBe(404)
  })
})
