import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { writePlanRow } from '../testing/backfill-plan.js'
import { insertEvents, insertIdentities } from './__fixtures__/events.js'
import type { FeatureDefinition } from '../features/rules.js'
import { combosComplete } from '../rollup/status.js'
import { COMBOS_SLICE } from '../store/migrations/045_activity_combos.js'
import { measureUsage } from './usage.js'

describe('usage in look-back windows (embedded engine)', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  beforeAll(async () => {
    t = await openTestStore()
    await insertEvents(t.store.client, 'p', [
      { event: '$pageview', timestamp: '2025-03-01 09:00:00.000', user_id: 'u1', account_id: 'acme', path: '/help/billing' },
      { event: '$click', timestamp: '2025-03-02 09:00:00.000', user_id: 'u1', account_id: 'acme', feature_key: 'export' },
      { event: '$click', timestamp: '2025-03-02 10:00:00.000', user_id: 'u1', account_id: 'acme', feature_key: 'export' },
      // Anonymous, no account on the event: the alias makes it u2's, and u2 belongs to acme.
      { event: '$click', timestamp: '2025-03-09 09:00:00.000', anonymous_id: 'a2', feature_key: 'export' },
      { event: 'support_contact', timestamp: '2025-03-09 09:30:00.000', user_id: 'u2', account_id: 'acme' },
      // Not activity: a page leave and a nudge event.
      { event: '$pageleave', timestamp: '2025-03-03 09:00:00.000', user_id: 'u3', account_id: 'acme' },
      { event: '$nudge_shown', timestamp: '2025-03-03 09:00:00.000', user_id: 'u3', account_id: 'acme' },
      // Outside the window, and another account.
      { event: '$click', timestamp: '2025-03-11 00:00:00.000', user_id: 'u1', account_id: 'acme', feature_key: 'report' },
      { event: '$click', timestamp: '2025-03-05 00:00:00.000', user_id: 'v1', account_id: 'bolt', feature_key: 'report' },
    ])
    await insertIdentities(t.store.client, 'p', [{ anonymous_id: 'a2', user_id: 'u2' }], [{ user_id: 'u2', account_id: 'acme' }])
  })
  afterAll(() => t.cleanup())

  it('counts active people, person-days, help views, support contacts and feature use', async () => {
    const usage = await measureUsage(t.store.client, 'p', [
      { id: 'w1', accountId: 'acme', from: '2025-03-01', to: '2025-03-11' },
      { id: 'w2', accountId: 'bolt', from: '2025-03-01', to: '2025-03-11' },
      { id: 'w3', accountId: 'nobody', from: '2025-03-01', to: '2025-03-11' },
    ])
    const w1 = usage.get('w1')!
    // u1 on 1 and 2 March, u2 on 9 March; second half starts 6 March.
    expect([w1.activeUsers, w1.activeUserDays, w1.recentUserDays, w1.events, w1.helpViews, w1.supportContacts, w1.featuresUsed]).toEqual([2, 3, 1, 5, 1, 1, 1])
    expect(Object.fromEntries(w1.features)).toEqual({ export: { users: 2, events: 3 } })
    expect(Object.fromEntries(usage.get('w2')!.features)).toEqual({ report: { users: 1, events: 1 } })
    expect(usage.get('w3')!.activeUsers).toBe(0)
  })

  it('measures features given as SQL conditions', async () => {
    const usage = await measureUsage(t.store.client, 'p', [{ id: 'w1', accountId: 'acme', from: '2025-03-01', to: '2025-03-12' }], {
      features: [
        { key: 'help', sql: `startsWith(path, {f_help:String})`, params: { f_help: '/help' } },
        { key: 'exporting', sql: `feature_key = {f_exp:String}`, params: { f_exp: 'export' } },
      ],
    })
    expect(Object.fromEntries(usage.get('w1')!.features)).toEqual({ help: { users: 1, events: 1 }, exporting: { users: 2, events: 3 } })
  })

  it('measures more features than one mask word holds, beside the help and support bits', async () => {
    // 70 definitions: with help views and support contacts first, features 62 and later fall in the second word.
    const definitions = Array.from({ length: 70 }, (_, i): FeatureDefinition => ({
      id: `f${i}`, version: 1, name: `F${i}`, description: '', deleted: false, updatedAt: '2025-01-01 00:00:00.000',
      rules: i === 69 ? [{ type: 'url', pattern: '/help/*' }] : i % 2 ? [{ type: 'feature_key', key: 'export' }] : [{ type: 'event', name: `ev${i}` }],
    }))
    const usage = await measureUsage(t.store.client, 'p', [{ id: 'w1', accountId: 'acme', from: '2025-03-01', to: '2025-03-12' }], {
      features: definitions.map((d) => ({ key: d.id, definition: d })),
    })
    const w1 = usage.get('w1')!
    expect([w1.helpViews, w1.supportContacts]).toEqual([1, 1])
    // Every odd feature is "export" (u1 twice, u2 once); the last one is the help page u1 viewed.
    const odd = Object.fromEntries(definitions.filter((_, i) => i % 2 === 1 && i !== 69).map((d) => [d.id, { users: 2, events: 3 }]))
    expect(Object.fromEntries(w1.features)).toEqual({ ...odd, f69: { users: 1, events: 1 } })
    expect(w1.featuresUsed).toBe(35)

    // The same through each row's own columns, as while the background job still adds combinations.
    const plan = (state: string) => writePlanRow(t.store.client, { project: 'p', slice: COMBOS_SLICE, state, cutoff: '2025-01-01 00:00:00.000' })
    await plan('pending')
    expect(await combosComplete(t.store.client, 'p')).toBe(false)
    const byColumns = await measureUsage(t.store.client, 'p', [{ id: 'w1', accountId: 'acme', from: '2025-03-01', to: '2025-03-12' }], {
      features: definitions.map((d) => ({ key: d.id, definition: d })),
    })
    expect(byColumns).toEqual(usage)
    await new Promise((r) => setTimeout(r, 5))
    await plan('done')
    expect(await combosComplete(t.store.client, 'p')).toBe(true)
  })
})
