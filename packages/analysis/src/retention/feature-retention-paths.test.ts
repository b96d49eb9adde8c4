import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityCtes } from '../activity/rows.sql.js'
import { createFeature, listFeatures } from '../features/store.js'
import type { FeatureRule } from '../features/rules.js'
import { seededRandom } from './placebo.js'
import { openTestStore } from '../testing/store.js'
import { resolveContext, targetParams } from './context.js'
import { featureRetentionByPersonSql, featureRetentionSql } from './feature-retention.sql.js'
import { insertAliases, insertFixtureEvents, type FixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>
const P = 'fr-paths'

/**
 * A seeded world for comparing the two readings of the feature retention report: 60 people over
 * six weeks at any hour (so local days differ by zone), some first anonymous and merged into their
 * user later, a few in two accounts; 70 features (two mask words) of every rule kind.
 */
function world(): { events: FixtureEvent[]; aliases: Record<string, string>; rules: FeatureRule[][] } {
  const random = seededRandom(7)
  const pick = (n: number) => Math.floor(random() * n)
  const events: FixtureEvent[] = []
  const aliases: Record<string, string> = {}
  for (let p = 0; p < 60; p++) {
    const user = `u${p}`
    const anon = p % 4 === 0 ? `anon-${p}` : undefined
    if (anon) aliases[anon] = user
    const start = pick(20)
    for (let day = start; day < 42; day++) {
      if (random() > 0.45) continue
      for (let k = 0; k < 1 + pick(4); k++) {
        const at = new Date(Date.UTC(2024, 2, 1 + day, pick(24), pick(4) * 15 + pick(15))).toISOString()
        const who = anon && day < start + 2 ? { anon } : { user }
        const account = p % 7 === 0 && random() < 0.5 ? 'beta' : `acct-${p % 5}`
        const f = pick(80)
        const kind = f % 4
        events.push({
          ...who, at, account,
          ...(kind === 0 ? { featureKey: `k${f}` } : kind === 1 ? { event: `e${f}` } : kind === 2 ? { path: `/p/${f}` } : { elements: [{ tag: 'button', classes: [`c${f}`] }] }),
        })
      }
    }
  }
  const rules: FeatureRule[][] = Array.from({ length: 70 }, (_, f) => {
    const kind = f % 4
    const rule: FeatureRule = kind === 0 ? { type: 'feature_key', key: `k${f}` } : kind === 1 ? { type: 'event', name: `e${f}` } : kind === 2 ? { type: 'url', pattern: `/p/${f}` } : { type: 'element', selector: `.c${f}`, textMatch: 'equals' }
    // Some features take two kinds of use.
    return f % 9 === 0 ? [rule, { type: 'feature_key', key: `k${(f + 4) % 80}` }] : [rule]
  })
  return { events, aliases, rules }
}

beforeAll(async () => {
  t = await openTestStore()
  const w = world()
  for (const [i, rules] of w.rules.entries()) await createFeature(t.store.client, P, { id: `f${i}`, name: `f${i}`, rules })
  await insertFixtureEvents(t.store.client, P, w.events)
  await insertAliases(t.store.client, P, w.aliases)
})
afterAll(async () => {
  await t?.cleanup()
})

describe('feature retention read per person number', () => {
  it('gives the rows of the per-key reading in any zone, mode, return and segment, with combinations or without', async () => {
    const c = t.store.client
    const features = await listFeatures(c, P)
    expect(features.length).toBe(70)
    const segment = 'SELECT arrayJoin({seg:Array(String)}) AS person'
    let compared = 0
    for (const timezone of ['UTC', 'Asia/Kathmandu', 'America/St_Johns']) {
      const ctx = await resolveContext(c, P, { timezone, asOf: '2024-04-20' })
      const params = { ...targetParams(ctx, features), from: '2024-03-05', to: '2024-03-31', days: [1, 7, 14], seg: ['u1', 'u4', 'u8', 'u9', 'u14', 'u21'] }
      for (const mode of ['on', 'on_or_after'] as const) {
        for (const returnAny of [false, true]) {
          for (const seg of [undefined, segment]) {
            for (const combos of [false, true]) {
              const shape = { mode, returnAny, segment: seg }
              const read = async (query: string) => (await c.query({ query, query_params: params, format: 'JSONEachRow' })).json()
              const perKey = await read(featureRetentionSql(shape, activityCtes(features, combos)))
              expect(perKey.length).toBeGreaterThan(seg ? 5 : 60)
              expect(await read(featureRetentionByPersonSql(shape, features, combos))).toEqual(perKey)
              compared++
            }
          }
        }
      }
    }
    expect(compared).toBe(48)
  })
})
