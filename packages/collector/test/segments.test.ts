import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, post, sdkBatch, sdkEvent, secretApi, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector

const day = (offset: number): string => {
  const d = new Date()
  d.setUTCHours(12, 0, 0, 0)
  d.setUTCDate(d.getUTCDate() + offset)
  return d.toISOString()
}
const FROM = day(-14).slice(0, 10)

// a1 and a2 are admins, m1 a member (identify traits); all start 14 days ago; a1 and m1 are back on day 7.
// Day-7 retention: everyone 2/3; admins 1/2; members 1/1.
beforeAll(async () => {
  t = await startCollector()
  const ev = (user: string, at: string, over: Record<string, unknown> = {}) =>
    sdkEvent({ user_id: user, anonymous_id: `a-${user}`, event: '$pageview', elements: undefined, properties: {}, timestamp: at, ...over })
  const identify = (user: string, role: string) => ev(user, day(-14), { event: '$identify', properties: { role } })
  const events = [
    ev('a1', day(-14)), identify('a1', 'admin'), ev('a1', day(-7)),
    ev('a2', day(-14)), identify('a2', 'admin'),
    ev('m1', day(-14)), identify('m1', 'member'), ev('m1', day(-7)),
  ]
  const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, events))
  expect(res.status).toBe(200)
  await t.collector.deps.ingest.flush()
})
afterAll(() => t.cleanup())

const api = (path: string, method = 'GET', body?: unknown) => secretApi(t, path, method, body)
const admins = { match: 'all', conditions: [{ type: 'property', property: 'person.role', op: 'eq', value: 'admin' }] }
const day7 = async (query: string) => {
  const res = await api(`/v1/analysis/retention?from=${FROM}&to=${FROM}&days=7&${query}`)
  const r = await json(res)
  return [res.status, r.total?.size, r.total?.cells[0].retained]
}

describe('segments API (secret key)', () => {
  it('lists the properties a segment may name', async () => {
    expect((await t.collector.app.request('/v1/segments/properties')).status).toBe(401)
    const names = (await json(await api('/v1/segments/properties'))).properties.map((p: { name: string }) => p.name)
    expect(names).toContain('person.role')
    expect(names).toContain('first.utm_source')
  })

  it('creates, reads, versions and deletes segments', async () => {
    expect((await t.collector.app.request('/v1/segments')).status).toBe(401)
    const created = await api('/v1/segments', 'POST', { id: 'admins', name: 'Admins', definition: admins })
    expect(created.status).toBe(201)
    expect(await json(created)).toMatchObject({ id: 'admins', version: 1, name: 'Admins', definition: admins })
    expect((await api('/v1/segments', 'POST', { id: 'admins', name: 'Admins', definition: admins })).status).toBe(409)
    const bad = await api('/v1/segments', 'POST', { name: 'x', definition: { conditions: [{ type: 'property', property: 'person.shoe', op: 'eq', value: 1 }] } })
    expect(bad.status).toBe(400)
    expect((await json(bad)).error).toMatchObject({ code: 'invalid_body', field: 'definition.conditions.0.property' })
    const badOp = await api('/v1/segments', 'POST', { name: 'x', definition: { conditions: [{ type: 'property', property: 'person.role', op: 'like', value: 1 }] } })
    expect(badOp.status).toBe(400)

    const put = await api('/v1/segments/admins', 'PUT', { name: 'Admins (v2)', definition: admins })
    expect(await json(put)).toMatchObject({ id: 'admins', version: 2 })
    expect((await json(await api('/v1/segments/admins/history'))).versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
    expect((await json(await api('/v1/segments'))).segments.map((s: { id: string }) => s.id)).toEqual(['admins'])
    expect((await api('/v1/segments/nobody')).status).toBe(404)
  })

  it('restricts reports to a saved or an inline segment', async () => {
    expect(await day7('')).toEqual([200, 3, 2])
    expect(await day7('segment=admins')).toEqual([200, 2, 1])
    const members = { match: 'all', conditions: [{ type: 'property', property: 'person.role', op: 'eq', value: 'member' }] }
    expect(await day7(`segment_def=${encodeURIComponent(JSON.stringify(members))}`)).toEqual([200, 1, 1])
    const r = await json(await api(`/v1/analysis/high-retention?from=${FROM}&to=${FROM}&n=7&segment=admins`))
    expect(r.population.newUsers).toBe(2)
    expect(r.segment).toMatchObject({ id: 'admins' })
  })

  it('breaks retention and high-retention down by a property', async () => {
    // admin: a1, a2 → 1 back; member: m1 → back.
    const res = await api(`/v1/analysis/retention?from=${FROM}&to=${FROM}&days=7&breakdown=person.role&min_n=2`)
    expect(res.status).toBe(200)
    const r = await json(res)
    expect(r.groups.map((g: any) => [g.value, g.status, g.report.total.size, g.report.total.cells[0].retained])).toEqual([
      ['admin', 'ok', 2, 1],
      ['member', 'not_enough_data', 1, 1],
    ])
    const hr = await json(await api(`/v1/analysis/high-retention?from=${FROM}&to=${FROM}&n=7&breakdown=person.role&max_groups=2`))
    expect(hr.report).toBe('high-retention-breakdown')
    expect(hr.groups.map((g: any) => g.value)).toEqual(['admin', 'member'])
    expect((await api('/v1/features', 'POST', { id: 'home', name: 'Home', rules: [{ type: 'url', pattern: '/' }] })).status).toBe(201)
    const fr = await json(await api(`/v1/analysis/feature-retention?from=${FROM}&to=${FROM}&breakdown=person.role&min_n=2`))
    expect(fr.report).toBe('feature-retention-breakdown')
    // Active in the window: admins a1, a2; member m1 (below min_n).
    expect(fr.groups.map((g: any) => [g.value, g.status, g.report.features[0].activeUsers])).toEqual([['admin', 'ok', 2], ['member', 'not_enough_data', 1]])
    const unknown = await api(`/v1/analysis/retention?from=${FROM}&to=${FROM}&breakdown=person.shoe`)
    expect(unknown.status).toBe(400)
    expect((await json(unknown)).error).toMatchObject({ code: 'invalid_query', field: 'breakdown' })
    // Breakdown-only parameters are refused without a breakdown.
    expect((await api(`/v1/analysis/retention?from=${FROM}&to=${FROM}&max_groups=3`)).status).toBe(400)
  })

  it('refuses a bad segment with the field on the wire', async () => {
    const missing = await api(`/v1/analysis/retention?from=${FROM}&to=${FROM}&segment=nobody`)
    expect(missing.status).toBe(404)
    expect((await json(missing)).error).toMatchObject({ code: 'not_found', field: 'segment' })
    const notJson = await api(`/v1/analysis/retention?from=${FROM}&to=${FROM}&segment_def=%7B`)
    expect(notJson.status).toBe(400)
    expect((await json(notJson)).error).toMatchObject({ code: 'invalid_query', field: 'segment_def' })
    const renewals = await api(`/v1/reports/renewals?segment=nobody`)
    expect(renewals.status).toBe(404)
    // No account data: no account.plan to break revenue down by.
    const byPlan = await api('/v1/reports/revenue?breakdown=account.plan')
    expect(byPlan.status).toBe(400)
    expect((await json(byPlan)).error).toMatchObject({ code: 'invalid_query', field: 'breakdown' })
    expect((await api('/v1/reports/revenue?max_groups=3')).status).toBe(400)
    expect((await api('/v1/reports/revenue?segment=admins')).status).toBe(200)
  })

  it('deletes a segment; reports then refuse it', async () => {
    expect(await json(await api('/v1/segments/admins', 'DELETE'))).toEqual({ id: 'admins', version: 3, deleted: true })
    expect((await api('/v1/segments/admins')).status).toBe(404)
    expect((await day7('segment=admins'))[0]).toBe(404)
  })
})
