import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnalysisError } from '../errors.js'
import { openTestStore } from '../testing/store.js'
import { insertFixtureEvents, type FixtureEvent } from '../retention/__fixtures__/events.js'
import { createFeature, deleteFeature, featureHistory, getFeature, listFeatures, updateFeature } from './store.js'
import { suggestFeatures } from './suggest.js'

let t: Awaited<ReturnType<typeof openTestStore>>
beforeAll(async () => {
  t = await openTestStore()
})
afterAll(async () => {
  await t?.cleanup()
})

describe('feature definitions', () => {
  it('creates, versions, deletes and keeps history per project', async () => {
    const c = t.store.client
    const a = await createFeature(c, 's1', { id: 'export', name: 'Export', rules: [{ type: 'feature_key', key: 'export' }] })
    expect(a).toMatchObject({ id: 'export', version: 1, deleted: false })
    const generated = await createFeature(c, 's1', { name: 'Save', rules: [{ type: 'element', text: 'Save' }] })
    expect(generated.id).toMatch(/^f_[0-9a-f]{12}$/)
    expect(generated.rules).toEqual([{ type: 'element', text: 'Save', textMatch: 'equals' }])

    await expect(createFeature(c, 's1', { id: 'export', name: 'Again', rules: [{ type: 'event', name: 'x' }] })).rejects.toMatchObject({
      code: 'conflict',
    })
    const b = await updateFeature(c, 's1', 'export', { name: 'Export (CSV)', rules: [{ type: 'url', pattern: '/export/**' }] })
    expect(b.version).toBe(2)
    expect(await getFeature(c, 's1', 'export')).toMatchObject({ version: 2, name: 'Export (CSV)' })
    expect((await listFeatures(c, 's1')).map((f) => f.name)).toEqual(['Export (CSV)', 'Save'])
    expect(await listFeatures(c, 's2')).toEqual([])

    await deleteFeature(c, 's1', 'export')
    expect(await getFeature(c, 's1', 'export')).toBeNull()
    expect((await listFeatures(c, 's1')).map((f) => f.id)).toEqual([generated.id])
    expect((await featureHistory(c, 's1', 'export')).map((f) => [f.version, f.deleted])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ])
    await expect(updateFeature(c, 's1', 'export', { name: 'x', rules: [{ type: 'event', name: 'x' }] })).rejects.toBeInstanceOf(AnalysisError)
    await expect(deleteFeature(c, 's1', 'nope')).rejects.toMatchObject({ code: 'not_found' })
    // A deleted id may be reused; its versions continue.
    expect((await createFeature(c, 's1', { id: 'export', name: 'Export', rules: [{ type: 'event', name: 'e' }] })).version).toBe(4)
  })

  it('refuses invalid definitions with the field named', async () => {
    const bad = (input: unknown) => createFeature(t.store.client, 's1', input as never)
    await expect(bad({ name: 'x', rules: [] })).rejects.toMatchObject({ code: 'invalid', field: 'rules' })
    await expect(bad({ name: 'x', rules: [{ type: 'element', selector: 'a > b' }] })).rejects.toMatchObject({ field: 'rules.0.selector', message: expect.stringContaining('combinator') })
    await expect(bad({ name: 'x', rules: [{ type: 'element' }] })).rejects.toThrow('selector, a text, or both')
    await expect(bad({ name: 'x', rules: [{ type: 'url', pattern: 'nope' }] })).rejects.toThrow('starts with "/"')
    await expect(bad({ id: 'Bad Id', name: 'x', rules: [{ type: 'event', name: 'e' }] })).rejects.toMatchObject({ code: 'invalid', field: 'id' })
  })
})

describe('suggestFeatures', () => {
  it('ranks data-feature keys and clicked elements by users, marking those already defined', async () => {
    const now = Date.now()
    const at = (m: number) => new Date(now - m * 60_000).toISOString()
    const events: FixtureEvent[] = []
    for (const u of ['a', 'b', 'c']) events.push({ user: u, at: at(5), featureKey: 'bulk-edit', elements: [{ tag: 'button', text: 'Bulk edit' }] })
    for (const u of ['a', 'b']) {
      events.push({ user: u, at: at(6), elements: [{ tag: 'button', id: 'share', classes: ['css-1x2y3z'], text: 'Share' }] })
      events.push({ user: u, at: at(7), elements: [{ tag: 'div', classes: ['css-abc123'] }] })
    }
    events.push({ user: 'a', at: at(8), elements: [{ tag: 'a', classes: ['nav-item', 'sc-bdVaJa'], text: 'Reports' }] })
    events.push({ user: 'z', at: new Date(now - 40 * 86_400_000).toISOString(), featureKey: 'old' })
    await insertFixtureEvents(t.store.client, 's3', events)
    await createFeature(t.store.client, 's3', { id: 'share', name: 'Share', rules: [{ type: 'element', selector: 'button#share', text: 'Share' }] })

    const s = await suggestFeatures(t.store.client, { project: 's3' })
    expect(s).toEqual([
      { name: 'Bulk edit', source: 'feature_key', rules: [{ type: 'feature_key', key: 'bulk-edit' }], events: 3, users: 3, defined: false },
      {
        name: 'Share',
        source: 'element',
        rules: [{ type: 'element', selector: 'button#share', text: 'Share', textMatch: 'equals' }],
        events: 2,
        users: 2,
        defined: true,
      },
      {
        name: 'Reports',
        source: 'element',
        rules: [{ type: 'element', selector: 'a.nav-item', text: 'Reports', textMatch: 'equals' }],
        events: 1,
        users: 1,
        defined: false,
      },
    ])
  })
})
