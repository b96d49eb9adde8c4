import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import { insertFixtureEvents } from '../retention/__fixtures__/events.js'
import { openTestStore } from '../testing/store.js'
import { startActivityRefresher } from './refresher.js'

let t: Awaited<ReturnType<typeof openTestStore>>
beforeAll(async () => {
  t = await openTestStore()
})
afterAll(async () => {
  await t?.cleanup()
})

const rows = async (project: string) => {
  const rs = await t.store.client.query({
    query: `SELECT feature_id, toString(day) AS day, max(uses) AS uses FROM feature_activity WHERE project_id = {p:String}
      GROUP BY feature_id, day ORDER BY feature_id, day`,
    query_params: { p: project },
    format: 'JSONEachRow',
  })
  return (await rs.json<{ feature_id: string; day: string; uses: number }>()).map((r) => [r.feature_id, r.day, Number(r.uses)])
}

describe('startActivityRefresher', () => {
  it('builds the activity of projects that received events, and only those', async () => {
    const c = t.store.client
    const r = startActivityRefresher(c, { intervalMs: 0 })
    await createFeature(c, 'ra', { id: 'save', name: 'Save', rules: [{ type: 'element', text: 'Save' }] })
    await insertFixtureEvents(c, 'ra', [
      { user: 'a', at: '2024-05-01T10:00:00Z', elements: [{ tag: 'button', text: 'Save' }] },
      { user: 'a', at: '2024-05-02T10:00:00Z' },
    ])
    expect(await r.tick()).toEqual(['ra'])
    expect(await rows('ra')).toEqual([
      ['', '2024-05-01', 1],
      ['', '2024-05-02', 1],
      ['save', '2024-05-01', 1],
    ])
    await insertFixtureEvents(c, 'rb', [{ user: 'b', at: '2024-05-01T10:00:00Z' }])
    expect(await r.tick()).toEqual(['rb'])
    expect(await rows('rb')).toEqual([['', '2024-05-01', 1]])
    r.stop()
  })
})
