import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, registerAllCommands } from '@tenure/analysis/cli'
import { json, post, sdkBatch, sdkEvent, secretApi, secretHeaders, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector

const day = (offset: number): string => {
  const d = new Date()
  d.setUTCHours(12, 0, 0, 0)
  d.setUTCDate(d.getUTCDate() + offset)
  return d.toISOString()
}
const date = (offset: number) => day(offset).slice(0, 10)
const FROM = date(-14)
const TO = date(-12)

beforeAll(async () => {
  t = await startCollector()
  const page = (user: string, at: string) => sdkEvent({ user_id: user, anonymous_id: `a-${user}`, event: '$pageview', elements: undefined, timestamp: at })
  const exportClick = (user: string, at: string) => sdkEvent({ user_id: user, anonymous_id: `a-${user}`, timestamp: at })
  const events = [
    page('u1', day(-14)),
    exportClick('u1', day(-14)),
    exportClick('u1', day(-7)),
    page('u2', day(-14)),
    page('u2', day(-7)),
    page('u3', day(-14)),
  ]
  const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, events))
  expect(res.status).toBe(200)
  await t.collector.deps.ingest.flush()
})
afterAll(() => t.cleanup())

const api = (path: string, method = 'GET', body?: unknown) => secretApi(t, path, method, body)

describe('feature API (secret key)', () => {
  it('creates, reads, versions, suggests and deletes features', async () => {
    expect((await t.collector.app.request('/v1/features')).status).toBe(401)
    const created = await api('/v1/features', 'POST', { id: 'export', name: 'Export', rules: [{ type: 'element', selector: 'button#export' }] })
    expect(created.status).toBe(201)
    expect(await json(created)).toMatchObject({ id: 'export', version: 1 })
    const again = await api('/v1/features', 'POST', { id: 'export', name: 'Export', rules: [{ type: 'event', name: 'x' }] })
    expect(again.status).toBe(409)
    expect(await json(again)).toEqual({ error: { code: 'conflict', message: 'feature export already exists', field: 'id' } })

    const bad = await api('/v1/features', 'POST', { name: 'x', rules: [{ type: 'element', selector: 'a:hover' }] })
    expect(bad.status).toBe(400)
    expect((await json(bad)).error).toMatchObject({ code: 'invalid_body', field: 'rules.0.selector' })
    const notJson = await t.collector.app.request('/v1/features', { method: 'POST', headers: secretHeaders(t), body: '{' })
    expect((await json(notJson)).error.code).toBe('invalid_json')

    await api('/v1/features', 'POST', { id: 'tmp', name: 'Temporary', rules: [{ type: 'url', pattern: '/tmp/**' }] })
    const put = await api('/v1/features/tmp', 'PUT', { name: 'Temporary 2', rules: [{ type: 'url', pattern: '/tmp/*' }] })
    expect(await json(put)).toMatchObject({ id: 'tmp', version: 2 })
    expect((await json(await api('/v1/features/tmp/history'))).versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
    expect((await json(await api('/v1/features'))).features.map((f: { id: string }) => f.id)).toEqual(['export', 'tmp'])
    expect(await json(await api('/v1/features/tmp', 'DELETE'))).toEqual({ id: 'tmp', version: 3, deleted: true })
    expect((await api('/v1/features/tmp')).status).toBe(404)
    expect((await api('/v1/features/tmp', 'DELETE')).status).toBe(404)
    expect((await api('/v1/features/NOT%20AN%20ID')).status).toBe(404)

    const suggestions = (await json(await api('/v1/features/suggestions?days=60'))).suggestions
    // One person clicked it: its text is not public, so the suggestion names the element and leaves the text out.
    expect(suggestions[0]).toMatchObject({ name: 'Export (private text)', source: 'element', rules: [{ type: 'element', selector: 'button#export' }], users: 1 })
    expect(suggestions[0].rules[0].text).toBeUndefined()
    expect((await api('/v1/features/suggestions?dayz=1')).status).toBe(400)
  })
})

describe('analysis API (secret key)', () => {
  it('answers every report for events that came through ingestion', async () => {
    expect((await t.collector.app.request(`/v1/analysis/retention?from=${FROM}&to=${TO}`)).status).toBe(401)
    const r = await json(await api(`/v1/analysis/retention?from=${FROM}&to=${TO}&days=0,7&cohort=day`))
    expect(r.total).toMatchObject({ size: 3 })
    expect(r.total.cells.map((c: { eligible: number; retained: number }) => [c.eligible, c.retained])).toEqual([
      [3, 3],
      [3, 2],
    ])
    const fr = await json(await api(`/v1/analysis/feature-retention?from=${FROM}&to=${TO}&days=7`))
    expect(fr.features[0]).toMatchObject({ featureId: 'export', activeUsers: 3, adopters: 1, newAdopters: 1 })
    expect(fr.features[0].cells[0]).toMatchObject({ eligible: 1, retained: 1 })
    const hr = await json(await api(`/v1/analysis/high-retention?from=${FROM}&to=${TO}&n=7&min_n=1`))
    expect(hr.population).toMatchObject({ newUsers: 3, censored: 0 })
    expect(hr.features[0].adopters).toMatchObject({ k: 1, n: 1 })
    expect(hr.adjustment.method).toMatch(/AIPW/)
    expect(hr.adjustment.covariates).toContain('active days in the window (exact)')
    expect(hr.features[0].adjusted).toHaveProperty('eValue')
    const aha = await json(await api(`/v1/analysis/aha?feature=export&from=${FROM}&to=${TO}&n=7&max_uses=2`))
    expect(aha.buckets.map((b: { users: number }) => b.users)).toEqual([2, 1, 0])
    const acc = await api(`/v1/analysis/account-features?from=${FROM}&to=${TO}&days=7&detail=true`)
    expect(acc.status).toBe(200)
  })

  it('refuses bad parameters with the field named as on the wire', async () => {
    const unknown = await api(`/v1/analysis/retention?from=${FROM}&to=${TO}&min_m=1`)
    expect(unknown.status).toBe(400)
    expect((await json(unknown)).error).toMatchObject({ code: 'invalid_query', field: 'min_m' })
    const early = await json(await api(`/v1/analysis/high-retention?from=${FROM}&to=${TO}&n=3`))
    expect(early.error).toMatchObject({ code: 'invalid_query', field: 'n' })
    const asOf = await json(await api(`/v1/analysis/retention?from=${FROM}&to=${TO}&as_of=tomorrowish`))
    expect(asOf.error).toMatchObject({ code: 'invalid_query', field: 'as_of' })
    const tz = await json(await api(`/v1/analysis/retention?from=${FROM}&to=${TO}&timezone=Nowhere/City`))
    expect(tz.error).toMatchObject({ code: 'invalid_query', field: 'timezone' })
    const missing = await api(`/v1/analysis/aha?feature=nope&from=${FROM}&to=${TO}`)
    expect(missing.status).toBe(404)
  })

  it('serves the tenure report CLI over HTTP', async () => {
    registerAllCommands()
    const { url } = await t.collector.listen(0)
    const out: string[] = []
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) }
    const argv = ['report', 'high-retention', '--url', url, '--secret', t.secretKey, '--from', FROM, '--to', TO, '--n', '7', '--min-n', '1', '--format', 'json']
    expect(await main(argv, {}, io)).toBe(0)
    expect(JSON.parse(out.at(-1)!).features[0]).toMatchObject({ featureId: 'export' })
    expect(await main(['report', 'features', 'list'], { TENURE_URL: url, TENURE_SECRET_KEY: t.secretKey }, io)).toBe(0)
    expect(out.at(-1)).toMatch(/export\s+Export\s+1/)
    expect(await main(['report', 'retention', '--url', url, '--secret', 'wrong', '--from', FROM, '--to', TO], {}, io)).toBe(1)
    expect(out.at(-1)).toContain('unknown secret key')
    expect(await main(['report', 'aha', '--url', url, '--secret', t.secretKey, '--from', FROM, '--to', TO, '--feature', 'export', '--n', '2'], {}, io)).toBe(1)
    expect(out.at(-1)).toContain('(n)')
  })
})
