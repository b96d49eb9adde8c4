import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnalysisError } from '../errors.js'
import { createFeature, deleteFeature } from '../features/store.js'
import { compareProportions } from '../stats/compare.js'
import { encouragementIv } from '../stats/iv.js'
import { openTestStore } from '../testing/store.js'
import { activeNudgeIndex } from './active-index.js'
import { isHeldOut } from './holdout.js'
import { nudgeReport } from './report.js'
import { holdoutBucketSql } from './report.sql.js'
import { createNudge, getNudge, listNudges, startNudge, stopNudge, updateNudge } from './store.js'
import { nudgeEligibility } from './user-facts.js'
import { day, insertNudgeEvents, type NudgeFixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>
const client = () => t.store.client

beforeAll(async () => {
  t = await openTestStore()
  for (const p of ['p_store', 'p_elig', 'p_report']) {
    await createFeature(client(), p, { id: 'export', name: 'Export', rules: [{ type: 'element', selector: 'button#export' }] })
  }
})
afterAll(async () => {
  await t?.cleanup()
})

const tooltip = {
  name: 'Try export',
  featureId: 'export',
  placement: { type: 'tooltip' as const, selector: '#export' },
  copy: { title: 'Export', body: 'Send this report to a spreadsheet.', cta: { label: 'Show me', url: '/reports?tour=export' } },
}

const invalid = async (p: Promise<unknown>, field: string) => {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(AnalysisError)
  expect(err).toMatchObject({ code: 'invalid', field })
}

describe('nudge storage', () => {
  it('creates a draft with defaults, lists and reads it', async () => {
    const n = await createNudge(client(), 'p_store', { ...tooltip, id: 'n_export' })
    expect(n).toMatchObject({
      id: 'n_export', status: 'draft', version: 1, holdoutShare: 0.1, startedAt: null,
      audience: { firstDays: 14, pages: [], plans: [] }, frequency: { maxShows: 3, minHoursBetween: 24 },
      placement: { type: 'tooltip', selector: '#export', side: 'bottom', fallback: 'banner' },
    })
    expect(await getNudge(client(), 'p_store', 'n_export')).toEqual(n)
    expect((await listNudges(client(), 'p_store')).map((x) => x.id)).toEqual(['n_export'])
    expect(await getNudge(client(), 'p_other', 'n_export')).toBeNull()
    await expect(createNudge(client(), 'p_store', { ...tooltip, id: 'n_export' })).rejects.toMatchObject({ code: 'conflict' })
  })

  it('refuses unsafe or malformed configuration, naming the field', async () => {
    await invalid(createNudge(client(), 'p_store', { ...tooltip, copy: { body: 'x', cta: { label: 'Go', url: 'javascript:alert(1)' } } }), 'copy.cta.url')
    await invalid(createNudge(client(), 'p_store', { ...tooltip, copy: { body: 'x', cta: { label: 'Go', url: '//evil.example/x' } } }), 'copy.cta.url')
    await invalid(createNudge(client(), 'p_store', { ...tooltip, placement: { type: 'tooltip', selector: 'a > b' } }), 'placement.selector')
    await invalid(createNudge(client(), 'p_store', { ...tooltip, audience: { pages: ['reports'] } }), 'audience.pages.0')
    await invalid(createNudge(client(), 'p_store', { ...tooltip, holdoutShare: 0.95 }), 'holdoutShare')
    await invalid(createNudge(client(), 'p_store', { ...tooltip, featureId: 'nope' }), 'featureId')
    await invalid(createNudge(client(), 'p_store', { ...tooltip, copy: { body: '' } }), 'copy.body')
  })

  it('starts and stops, and the active index follows at once', async () => {
    const index = activeNudgeIndex(client())
    expect(index.has('p_store')).toBe(false)
    const started = await startNudge(client(), 'p_store', 'n_export')
    expect(started).toMatchObject({ status: 'active', version: 2 })
    expect(started.startedAt).not.toBeNull()
    expect(index.has('p_store')).toBe(true)
    expect(await index.list('p_store')).toEqual([
      {
        id: 'n_export', pages: [], holdoutShare: 0.1, frequency: { maxShows: 3, minHoursBetween: 24 },
        placement: { type: 'tooltip', selector: '#export', side: 'bottom', fallback: 'banner' }, copy: tooltip.copy,
      },
    ])
    expect((await listNudges(client(), 'p_store', { status: 'active' })).length).toBe(1)
    const stopped = await stopNudge(client(), 'p_store', 'n_export')
    expect(stopped).toMatchObject({ status: 'stopped', startedAt: started.startedAt })
    expect(index.has('p_store')).toBe(false)
    const again = await startNudge(client(), 'p_store', 'n_export')
    // The report keeps counting from the first start.
    expect(again).toMatchObject({ status: 'active', startedAt: started.startedAt, stoppedAt: null })
  })

  it('updates copy and pages, but not the feature or holdout of a started nudge', async () => {
    const n = await updateNudge(client(), 'p_store', 'n_export', { ...tooltip, audience: { pages: ['/reports/**'] }, copy: { body: 'New words' } })
    expect(n).toMatchObject({ status: 'active', copy: { body: 'New words' } })
    expect((await activeNudgeIndex(client()).list('p_store'))[0]!.pages).toEqual(['^/reports/.*/?$'])
    await expect(updateNudge(client(), 'p_store', 'n_export', { ...tooltip, holdoutShare: 0.2 })).rejects.toMatchObject({ code: 'conflict', field: 'holdoutShare' })
    await expect(updateNudge(client(), 'p_store', 'n_missing', tooltip)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('records a nudge that ran in the past at the times it was created, started and stopped, in order', async () => {
    const at = (d: string) => new Date(`${d}T09:00:00.000Z`)
    await createNudge(client(), 'p_store', { ...tooltip, id: 'n_past' }, { now: at('2025-01-10') })
    await startNudge(client(), 'p_store', 'n_past', { now: at('2025-01-13') })
    const stopped = await stopNudge(client(), 'p_store', 'n_past', { now: at('2025-01-27') })
    expect(stopped).toMatchObject({ status: 'stopped', createdAt: '2025-01-10T09:00:00.000Z', startedAt: '2025-01-13T09:00:00.000Z', stoppedAt: '2025-01-27T09:00:00.000Z' })
    expect(await getNudge(client(), 'p_store', 'n_past')).toEqual(stopped)
    // Its history stays in order: a restart may not come before the stop, and the time must be a date.
    await expect(startNudge(client(), 'p_store', 'n_past', { now: at('2025-01-20') })).rejects.toMatchObject({ code: 'conflict', field: 'now' })
    await expect(startNudge(client(), 'p_store', 'n_past', { now: new Date('not a date') })).rejects.toMatchObject({ code: 'invalid', field: 'now' })
    await expect(startNudge(client(), 'p_store', 'n_past', { now: new Date(Date.now() + 86_400_000) })).rejects.toMatchObject({ code: 'invalid', field: 'now' })
    expect((await getNudge(client(), 'p_store', 'n_past'))!.status).toBe('stopped')
  })
})

describe('eligibility answered by the collector', () => {
  const now = Date.now()
  const ago = (days: number) => new Date(now - days * 86_400_000).toISOString()

  beforeAll(async () => {
    await createNudge(client(), 'p_elig', { ...tooltip, id: 'n_any', audience: { firstDays: 7, anonymous: true } })
    await createNudge(client(), 'p_elig', { ...tooltip, id: 'n_pro', audience: { firstDays: 7, plans: ['Pro'] } })
    await startNudge(client(), 'p_elig', 'n_any')
    await startNudge(client(), 'p_elig', 'n_pro')
    const events: NudgeFixtureEvent[] = [
      { user: 'fresh', at: ago(1) },
      { user: 'used', at: ago(2) },
      { user: 'used', at: ago(1), click: 'export' },
      { user: 'veteran', at: ago(30) },
      { user: 'veteran', at: ago(1) },
      // Used the feature anonymously on another device, identified later.
      { anon: 'laptop', at: ago(1), click: 'export' },
      // Nudge bookkeeping is not activity: it neither starts a life nor counts as use.
      { user: 'bookkept', at: ago(40), event: '$nudge_shown', nudge: 'n_any' },
      { user: 'bookkept', at: ago(1) },
      { user: 'pro-user', at: ago(1), account: 'acme' },
      { user: 'free-user', at: ago(1), account: 'bolt' },
      { user: 'pro-user', account: 'acme', at: ago(1), event: '$group', properties: { plan: 'pro' } },
      { user: 'free-user', account: 'bolt', at: ago(1), event: '$group', properties: { plan: 'free' } },
    ]
    await insertNudgeEvents(client(), 'p_elig', events)
    await client().insert({
      table: 'person_aliases',
      values: [{ project_id: 'p_elig', anonymous_id: 'laptop', user_id: 'returning', updated_at: ago(1) }],
      format: 'JSONEachRow',
    })
    await client().insert({
      table: 'user_accounts',
      values: [{ project_id: 'p_elig', user_id: 'pro-user', account_id: 'acme', updated_at: ago(1) }],
      format: 'JSONEachRow',
    })
  })

  const reasons = async (who: { anonymousId: string; userId?: string; accountId?: string }) =>
    Object.fromEntries((await nudgeEligibility(client(), 'p_elig', who)).answers.map((a) => [a.nudgeId, a.reason]))

  it('admits new users who have not used the feature', async () => {
    // n_any takes anonymous visitors; n_pro, like every nudge by default, only signed-in users.
    expect(await reasons({ anonymousId: 'brand-new' })).toEqual({ n_any: 'eligible', n_pro: 'anonymous' })
    expect(await reasons({ anonymousId: 'brand-new', userId: 'brand-new-user' })).toEqual({ n_any: 'eligible', n_pro: 'plan' })
    expect(await reasons({ anonymousId: 'x', userId: 'fresh' })).toMatchObject({ n_any: 'eligible' })
    expect(await reasons({ anonymousId: 'x', userId: 'bookkept' })).toMatchObject({ n_any: 'eligible' })
    expect((await nudgeEligibility(client(), 'p_elig', { anonymousId: 'brand-new' })).eligible).toEqual(['n_any'])
  })

  it('refuses users past their first days or who used the feature, on any device', async () => {
    expect(await reasons({ anonymousId: 'x', userId: 'veteran' })).toMatchObject({ n_any: 'not_new' })
    expect(await reasons({ anonymousId: 'x', userId: 'used' })).toMatchObject({ n_any: 'used_feature' })
    expect(await reasons({ anonymousId: 'phone', userId: 'returning' })).toMatchObject({ n_any: 'used_feature' })
    expect(await reasons({ anonymousId: 'laptop' })).toMatchObject({ n_any: 'used_feature' })
  })

  it('reads the plan from the account sent by the page, else the user\'s account', async () => {
    expect(await reasons({ anonymousId: 'x', userId: 'pro-user', accountId: 'acme' })).toEqual({ n_any: 'eligible', n_pro: 'eligible' })
    expect(await reasons({ anonymousId: 'x', userId: 'pro-user' })).toEqual({ n_any: 'eligible', n_pro: 'eligible' })
    expect(await reasons({ anonymousId: 'x', userId: 'free-user', accountId: 'bolt' })).toEqual({ n_any: 'eligible', n_pro: 'plan' })
  })

  it('prefers the imported plan over the group() trait', async () => {
    const ts = ago(0)
    await client().insert({ table: 'accounts', values: [{ project_id: 'p_elig', account_id: 'bolt', import_seq: 1, name: 'Bolt', plan: 'Pro', seats: null, cac: null }], format: 'JSONEachRow' })
    await client().insert({
      table: 'account_imports',
      values: [{ project_id: 'p_elig', import_id: 'i1', seq: 1, source: 'csv', kind: 'accounts', content_hash: 'h', status: 'committed', rows: 1, message: '', created_at: ts, updated_at: ts }],
      format: 'JSONEachRow',
    })
    expect(await reasons({ anonymousId: 'x', userId: 'free-user', accountId: 'bolt' })).toEqual({ n_any: 'eligible', n_pro: 'eligible' })
  })

  it('answers nothing for a project without active nudges, and nothing once the feature is deleted', async () => {
    expect(await nudgeEligibility(client(), 'p_none', { anonymousId: 'a' })).toEqual({ eligible: [], answers: [] })
    await createFeature(client(), 'p_elig', { id: 'gone', name: 'Gone', rules: [{ type: 'event', name: 'Gone' }] })
    await createNudge(client(), 'p_elig', { ...tooltip, id: 'n_gone', featureId: 'gone' })
    await startNudge(client(), 'p_elig', 'n_gone')
    await deleteFeature(client(), 'p_elig', 'gone')
    await activeNudgeIndex(client()).refresh()
    expect(await reasons({ anonymousId: 'brand-new' })).toMatchObject({ n_gone: 'feature_missing', n_any: 'eligible' })
  })
})

describe('nudge report', () => {
  const N = 'n_rep'
  // Shown: s1 adopts (day 2) and returns on day 7; s2 adopts too late (day 8) but returns on day 7;
  // s3 used the feature before exposure only and returns on day 9; s4 is exposed 4 days before
  // as-of (both windows censored); s5 clicks, adopts the next day, never returns.
  // Held out: h1 adopts and returns; h2 does neither; h3 was held out anonymously, then identified,
  // and adopts and returns as a user. c1 has both events (conflicting). x1 was never exposed.
  const events: NudgeFixtureEvent[] = [
    { user: 's1', at: day('2026-03-01', 0, '09:00') },
    { user: 's1', at: day('2026-03-01', 0, '10:00'), event: '$nudge_shown', nudge: N },
    { user: 's1', at: day('2026-03-01', 2), click: 'export' },
    { user: 's1', at: day('2026-03-01', 7) },
    { user: 's1', at: day('2026-03-01', 3), event: '$nudge_shown', nudge: N },
    { user: 's2', at: day('2026-03-01') },
    { user: 's2', at: day('2026-03-02'), event: '$nudge_shown', nudge: N },
    { user: 's2', at: day('2026-03-02', 0, '12:01'), event: '$nudge_dismissed', nudge: N },
    { user: 's2', at: day('2026-03-02', 7), click: 'export' },
    { user: 's2', at: day('2026-03-01', 7) },
    { user: 's3', at: day('2026-03-05', 0, '09:00'), click: 'export' },
    { user: 's3', at: day('2026-03-05', 0, '12:00'), event: '$nudge_shown', nudge: N },
    { user: 's3', at: day('2026-03-05', 9) },
    { user: 's4', at: day('2026-03-28') },
    { user: 's4', at: day('2026-03-28'), event: '$nudge_shown', nudge: N },
    { user: 's5', at: day('2026-03-10') },
    { user: 's5', at: day('2026-03-10', 0, '12:00'), event: '$nudge_shown', nudge: N },
    { user: 's5', at: day('2026-03-10', 0, '12:01'), event: '$nudge_clicked', nudge: N },
    { user: 's5', at: day('2026-03-11'), click: 'export' },
    { user: 'h1', at: day('2026-03-01') },
    { user: 'h1', at: day('2026-03-01'), event: '$nudge_held_out', nudge: N },
    { user: 'h1', at: day('2026-03-04'), click: 'export' },
    { user: 'h1', at: day('2026-03-08') },
    { user: 'h2', at: day('2026-03-02') },
    { user: 'h2', at: day('2026-03-02'), event: '$nudge_held_out', nudge: N },
    { anon: 'a-h3', at: day('2026-03-03') },
    { anon: 'a-h3', at: day('2026-03-03', 0, '12:01'), event: '$nudge_held_out', nudge: N },
    { user: 'h3', anon: 'a-h3', at: day('2026-03-05'), click: 'export' },
    { user: 'h3', anon: 'a-h3', at: day('2026-03-10') },
    { user: 'c1', at: day('2026-03-01') },
    { user: 'c1', at: day('2026-03-01'), event: '$nudge_shown', nudge: N },
    { user: 'c1', at: day('2026-03-02'), event: '$nudge_held_out', nudge: N },
    { user: 'x1', at: day('2026-03-01') },
    { user: 'x1', at: day('2026-03-02'), event: '$nudge_shown', nudge: 'n_other' },
    // After as-of: not read.
    { user: 'late', at: day('2026-04-02'), event: '$nudge_shown', nudge: N },
  ]
  const AS_OF = '2026-04-01'

  beforeAll(async () => {
    await createNudge(client(), 'p_report', { ...tooltip, id: N, holdoutShare: 0.5 })
    await startNudge(client(), 'p_report', N)
    await insertNudgeEvents(client(), 'p_report', events)
    await client().insert({
      table: 'person_aliases',
      values: [{ project_id: 'p_report', anonymous_id: 'a-h3', user_id: 'h3', updated_at: '2026-03-05 12:00:00.000' }],
      format: 'JSONEachRow',
    })
  })

  it('computes the holdout bucket in SQL exactly as the SDK and holdout.ts do', async () => {
    const vector: [string, number][] = [['user-42:n_welcome', 6508], ['anon-0193a7c2:n_export', 5187], ['ünïcödé@example.com:n_1', 1787], [':n_empty_user', 1771]]
    for (const [text, bucket] of vector) {
      const rs = await client().query({ query: `SELECT ${holdoutBucketSql('{s:String}')} AS b`, query_params: { s: text }, format: 'JSONEachRow' })
      expect(Number((await rs.json<{ b: string }>())[0]!.b), text).toBe(bucket)
    }
  })

  it('counts the arms and compares adoption and day-7 retention (hand-computed)', async () => {
    const r = await nudgeReport(client(), { project: 'p_report', nudgeId: N, asOf: AS_OF, minN: 3 })
    expect(r.counts).toEqual({ eligible: 9, shown: 5, heldOut: 3, conflicting: 1, clicked: 1, dismissed: 1 })
    // Adoption within 7 days of exposure: shown s1, s5 of s1, s2, s3, s5 (s4 censored); held h1, h3 of 3.
    expect(r.adoption.shown).toMatchObject({ k: 2, n: 4, rate: 0.5 })
    expect(r.adoption.heldOut).toMatchObject({ k: 2, n: 3 })
    expect(r.adoption.censored).toEqual({ shown: 1, heldOut: 0 })
    const expected = compareProportions(2, 4, 2, 3)
    expect(r.adoption.shown.low).toBeCloseTo(expected.group.low!, 12)
    expect(r.adoption.difference!.diff).toBeCloseTo(0.5 - 2 / 3, 12)
    expect(r.adoption.difference).toEqual(expected.difference)
    expect(r.adoption.p).toBe(expected.p)
    // Day-7 retention from first activity: shown s1, s2 of 4 (s4 censored); held h1, h3 of 3.
    expect(r.retention.shown).toMatchObject({ k: 2, n: 4 })
    expect(r.retention.heldOut).toMatchObject({ k: 2, n: 3 })
    expect(r.status).toBe('ok')
    expect(r.assignment.expectedHeldOut).toBe(0.5)
    expect(r.assignment.observedHeldOut).toBeCloseTo(3 / 8, 12)
    // Arms against the hash of the id each first exposure was recorded under.
    const mismatched = ['s1', 's2', 's3', 's4', 's5'].filter((u) => isHeldOut(u, N, 0.5)).length +
      ['h1', 'h2', 'a-h3'].filter((u) => !isHeldOut(u, N, 0.5)).length
    expect(r.assignment.mismatched).toBe(mismatched)
  })

  it('restricts both arms to a segment', async () => {
    // Used Export within their first 7 days of activity: s1 (day 2), s3 (day 0), s5 (day 1), h1 (day 3), h3 (day 2);
    // not s2 (day 8), s4, h2, c1. Shown s1, s3, s5; held out h1, h3.
    // Adoption after exposure: s1, s5 of 3 (s3 used it before only); h1, h3 of 2.
    // Day-7 retention: s1 of 3 (s3 is back on day 9, s5 never); h1 and h3 of 2.
    const r = await nudgeReport(client(), {
      project: 'p_report', nudgeId: N, asOf: AS_OF, minN: 1, segmentDef: { match: 'all', conditions: [{ type: 'used_feature', feature: 'export', withinDays: 7 }] },
    })
    expect(r.counts).toMatchObject({ eligible: 5, shown: 3, heldOut: 2, conflicting: 0 })
    expect(r.adoption.shown).toMatchObject({ k: 2, n: 3 })
    expect(r.adoption.heldOut).toMatchObject({ k: 2, n: 2 })
    expect(r.retention.shown).toMatchObject({ k: 1, n: 3 })
    expect(r.retention.heldOut).toMatchObject({ k: 2, n: 2 })
    expect(r.segment?.definition.conditions[0]).toMatchObject({ type: 'used_feature' })
  })

  it('counts a return on any later day in on_or_after mode', async () => {
    const r = await nudgeReport(client(), { project: 'p_report', nudgeId: N, asOf: AS_OF, minN: 3, mode: 'on_or_after' })
    expect(r.retention.shown).toMatchObject({ k: 3, n: 4 })
  })

  it('says "not enough data yet" below the minimum and withholds the comparison', async () => {
    const r = await nudgeReport(client(), { project: 'p_report', nudgeId: N, asOf: AS_OF })
    expect(r.minN).toBe(30)
    expect(r.status).toBe('not_enough_data')
    expect(r.message).toMatch(/^Not enough data yet: each arm needs at least 30 users/)
    expect(r.adoption).toMatchObject({ enoughData: false, difference: null, p: null, lift: null })
    expect(r.adoption.shown).toMatchObject({ k: 2, n: 4 })
  })

  it('censors by as-of: earlier, fewer windows are over', async () => {
    const r = await nudgeReport(client(), { project: 'p_report', nudgeId: N, asOf: '2026-03-09', minN: 1 })
    // As of 9 March only days up to the 8th are complete: s1 (exposed 1 Mar) and h1, h2 (1–2 Mar).
    expect(r.adoption.shown).toMatchObject({ n: 2 })
    expect(r.adoption.heldOut).toMatchObject({ n: 2 })
    expect(r.counts.shown).toBe(3)
  })

  it('feeds the experiment section with users past both windows per arm (hand-counted)', async () => {
    const r = await nudgeReport(client(), { project: 'p_report', nudgeId: N, asOf: AS_OF, minN: 3 })
    // Assigned past both windows: s1, s2, s3, s5; adopted s1, s5; retained s1, s2; both s1. Held: h1, h2, h3; adopted and retained h1, h3.
    const assigned = { n: 4, adopted: 2, retained: 2, adoptedRetained: 1 }
    const heldOut = { n: 3, adopted: 2, retained: 2, adoptedRetained: 2 }
    expect(r.experiment.n).toEqual({ assigned: 4, heldOut: 3 })
    const iv = encouragementIv(assigned, heldOut, 1000)
    expect(r.experiment.cace).toEqual(iv.cace)
    expect(r.experiment.ittAdoption.estimate).toBeCloseTo(0.5 - 2 / 3, 12)
    expect(r.experiment.cace.estimate).toBeCloseTo(1, 12)
    expect(r.experiment.firstStage.weak).toBe(true)
    expect(r.experiment.evidence).toBe('not_confirmed')
  })

  it('refuses unknown nudges and bad parameters', async () => {
    await expect(nudgeReport(client(), { project: 'p_report', nudgeId: 'n_none' })).rejects.toMatchObject({ code: 'not_found' })
    await expect(nudgeReport(client(), { project: 'p_report', nudgeId: N, retentionDay: -1 })).rejects.toMatchObject({ code: 'invalid', field: 'retentionDay' })
  })
})
