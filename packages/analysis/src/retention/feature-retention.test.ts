import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature, updateFeature } from '../features/store.js'
import { openTestStore } from '../testing/store.js'
import { featureRetentionReport } from './feature-retention.js'
import { insertFixtureEvents, type FixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>
beforeAll(async () => {
  t = await openTestStore()
})
afterAll(async () => {
  await t?.cleanup()
})

const exportClick = (user: string, day: string): FixtureEvent => ({
  user,
  at: `${day}T10:00:00Z`,
  featureKey: 'export',
  elements: [{ tag: 'button', text: 'Export' }],
})

describe('featureRetentionReport', () => {
  it('gives adoption and feature retention, and follows late events and changed definitions at the next query', async () => {
    const c = t.store.client
    await createFeature(c, 'fr', { id: 'export', name: 'Export', rules: [{ type: 'feature_key', key: 'export' }] })
    await createFeature(c, 'fr', { id: 'search', name: 'Search', rules: [{ type: 'element', selector: '.search button' }] })
    await insertFixtureEvents(c, 'fr', [
      { user: 'u1', at: '2024-03-01T08:00:00Z' },
      exportClick('u1', '2024-03-01'),
      exportClick('u1', '2024-03-08'),
      { user: 'u2', at: '2024-03-01T08:00:00Z' },
      exportClick('u2', '2024-03-02'),
      { user: 'u2', at: '2024-03-09T08:00:00Z', event: 'csv_download' },
      { user: 'u3', at: '2024-03-01T08:00:00Z' },
      exportClick('u4', '2024-02-20'),
      exportClick('u4', '2024-03-05'),
      { user: 'u4', at: '2024-03-06T08:00:00Z', elements: [{ tag: 'button' }, { tag: 'form', classes: ['search'] }] },
    ])
    const run = (ret: 'feature' | 'any' = 'feature') =>
      featureRetentionReport(c, { project: 'fr', from: '2024-03-01', to: '2024-03-31', days: [7], asOf: '2024-04-15', return: ret })

    const r = await run()
    const ex = r.features.find((f) => f.featureId === 'export')!
    expect(ex).toMatchObject({ activeUsers: 4, adopters: 3, newAdopters: 2, version: 1 })
    expect(ex.adoption.rate).toBe(0.75)
    expect(ex.cells[0]).toMatchObject({ n: 7, eligible: 2, retained: 1, rate: 0.5 })
    const search = r.features.find((f) => f.featureId === 'search')!
    expect(search).toMatchObject({ adopters: 1, newAdopters: 1 })
    expect(search.cells[0]).toMatchObject({ eligible: 1, retained: 0 })
    expect((await run('any')).features.find((f) => f.featureId === 'export')!.cells[0]).toMatchObject({ eligible: 2, retained: 2 })

    // An event that arrives late for an earlier day.
    await insertFixtureEvents(c, 'fr', [exportClick('u3', '2024-03-03')])
    const late = (await run()).features.find((f) => f.featureId === 'export')!
    expect(late).toMatchObject({ adopters: 4, newAdopters: 3 })
    expect(late.cells[0]).toMatchObject({ eligible: 3, retained: 1 })

    // Widening the definition re-reads history: u2's csv_download on day 7 now counts.
    await updateFeature(c, 'fr', 'export', {
      name: 'Export',
      rules: [
        { type: 'feature_key', key: 'export' },
        { type: 'event', name: 'csv_download' },
      ],
    })
    const widened = (await run()).features.find((f) => f.featureId === 'export')!
    expect(widened).toMatchObject({ version: 2, adopters: 4, newAdopters: 3 })
    expect(widened.cells[0]).toMatchObject({ eligible: 3, retained: 2 })
  })

  it('returns no rows for a project without features', async () => {
    const r = await featureRetentionReport(t.store.client, { project: 'empty', from: '2024-03-01', to: '2024-03-31' })
    expect(r.features).toEqual([])
  })
})

describe('a changed definition', () => {
  it('needs nothing built: the store has no per-day activity table to fill', async () => {
    const rs = await t.store.client.query({
      query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('feature_activity', 'feature_first_use', 'activity_builds')`,
      format: 'JSONEachRow',
    })
    expect(await rs.json()).toEqual([])
  })
})

describe('while the rollup does not yet hold the events stored before it', () => {
  it('answers from what it holds and says so', async () => {
    const c = t.store.client
    expect((await featureRetentionReport(c, { project: 'fr', from: '2024-03-01', to: '2024-03-31', asOf: '2024-04-15' })).activity).toMatchObject({ complete: true, note: null })
    // A data folder from before the rollup, its backfill not yet started: the plan row alone.
    await c.insert({
      table: 'activity_rollup_backfill',
      values: [{ project_id: 'fr-old', slice: 0, cutoff: '2024-04-01 00:00:00.000', state: 'pending', updated_at: '2024-04-01 00:00:00.000' }],
      format: 'JSONEachRow',
    })
    await createFeature(c, 'fr-old', { id: 'export', name: 'Export', rules: [{ type: 'feature_key', key: 'export' }] })
    await insertFixtureEvents(c, 'fr-old', [exportClick('u1', '2024-04-02'), exportClick('u1', '2024-04-09')])
    const r = await featureRetentionReport(c, { project: 'fr-old', from: '2024-04-01', to: '2024-04-30', days: [7], asOf: '2024-05-15' })
    expect(r.activity.complete).toBe(false)
    expect(r.activity.note).toMatch(/still being added/)
    expect(r.features[0]).toMatchObject({ adopters: 1, newAdopters: 1 })
    expect(r.features[0]!.cells[0]).toMatchObject({ eligible: 1, retained: 1 })
  })
})
