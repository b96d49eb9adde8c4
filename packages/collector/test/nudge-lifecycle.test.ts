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

const api = async <T = Record<string, unknown>>(path: string, method = 'GET', body?: unknown) => {
  const res = await t.collector.app.request(path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as T }
}
const NUDGE = { id: 'n_life', name: 'Try export', featureId: 'export', placement: { type: 'banner' }, copy: { body: 'Export this report' } }
const eligible = async (qs: string) => {
  const res = await t.collector.app.request(`/v1/nudges/eligibility?write_key=${t.writeKey}&${qs}`)
  return ((await res.json()) as { eligible: string[] }).eligible
}
const batchSaysNudges = async () => {
  const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ anonymous_id: `a-${Math.random()}`, event: '$pageview', elements: undefined })]))
  return ((await res.json()) as { nudges?: boolean }).nudges === true
}

describe('a nudge from draft to archive', () => {
  it('defaults to identified new users', async () => {
    const created = await api<{ audience: { anonymous: boolean; firstDays: number } }>('/v1/nudges', 'POST', NUDGE)
    expect(created.status).toBe(201)
    expect(created.body.audience).toEqual({ firstDays: 14, pages: [], plans: [], anonymous: false })
  })

  it('edits into a new version and keeps the old ones', async () => {
    const edited = await api<{ version: number; copy: { body: string } }>('/v1/nudges/n_life', 'PUT', { ...NUDGE, copy: { body: 'Export it to a spreadsheet' } })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ version: 2, copy: { body: 'Export it to a spreadsheet' } })
    const history = await api<{ versions: { version: number; status: string; copy: { body: string } }[] }>('/v1/nudges/n_life/history')
    expect(history.body.versions.map((v) => [v.version, v.status, v.copy.body])).toEqual([
      [1, 'draft', 'Export this report'],
      [2, 'draft', 'Export it to a spreadsheet'],
    ])
    expect((await api('/v1/nudges/nope/history')).status).toBe(404)
  })

  it('starts, pauses and resumes; pages learn at their next batch', async () => {
    expect((await api('/v1/nudges/n_life/start', 'POST')).body).toMatchObject({ status: 'active' })
    expect(await batchSaysNudges()).toBe(true)
    expect(await eligible('anonymous_id=a1&user_id=new-user')).toEqual(['n_life'])
    expect(await eligible('anonymous_id=a2')).toEqual([])
    expect((await api('/v1/nudges/n_life/pause', 'POST')).body).toMatchObject({ status: 'stopped' })
    expect(await batchSaysNudges()).toBe(false)
    expect((await api('/v1/nudges/n_life/resume', 'POST')).body).toMatchObject({ status: 'active' })
    expect(await batchSaysNudges()).toBe(true)
  })

  it('takes anonymous visitors only when the nudge says so', async () => {
    expect((await api('/v1/nudges/n_life', 'PUT', { ...NUDGE, audience: { anonymous: true } })).status).toBe(200)
    expect(await eligible('anonymous_id=a3')).toEqual(['n_life'])
  })

  it('archives: off every page, out of the list, not startable or editable; report and history stay', async () => {
    expect((await api('/v1/nudges/n_life/archive', 'POST')).body).toMatchObject({ status: 'archived' })
    expect(await batchSaysNudges()).toBe(false)
    expect((await api<{ nudges: unknown[] }>('/v1/nudges')).body.nudges).toEqual([])
    expect((await api<{ nudges: { id: string }[] }>('/v1/nudges?status=archived')).body.nudges.map((n) => n.id)).toEqual(['n_life'])
    const restart = await api('/v1/nudges/n_life/start', 'POST')
    expect(restart).toMatchObject({ status: 409, body: { error: { code: 'conflict', field: 'id' } } })
    expect((await api('/v1/nudges/n_life', 'PUT', NUDGE)).status).toBe(409)
    expect((await api('/v1/reports/nudges/n_life')).status).toBe(200)
    const history = await api<{ versions: { status: string }[] }>('/v1/nudges/n_life/history')
    expect(history.body.versions.map((v) => v.status)).toEqual(['draft', 'draft', 'active', 'stopped', 'active', 'active', 'archived'])
  })

  it('says in the report how many more users each arm needs', async () => {
    const r = await api<{ status: string; message: string; progress: { adoption: { shown: { moreUsers: number }; heldOut: { moreUsers: number } } } }>('/v1/reports/nudges/n_life')
    expect(r.body.status).toBe('not_enough_data')
    expect(r.body.progress.adoption.shown.moreUsers).toBe(30)
    expect(r.body.progress.adoption.heldOut.moreUsers).toBe(30)
    expect(r.body.message).toMatch(/Adoption: needs 30 more shown users and 30 more held-out users to reach 30 per arm; no estimate of when/)
  })
})
