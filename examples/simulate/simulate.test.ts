import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { EventSchema } from '@tenure/collector'
import { Simulation } from './simulate.js'
import type { SimEvent } from './sessions.js'
import { usersForEvents } from './scale.js'

const CONFIG = { seed: 3, users: 250, days: 60, endDate: '2025-06-01' }

function run(config = CONFIG): { sim: Simulation; events: SimEvent[] } {
  const sim = new Simulation(config)
  const events: SimEvent[] = []
  for (const s of sim.sessions()) for (const e of s.events) events.push(e)
  return { sim, events }
}

const digest = (events: SimEvent[]) => createHash('sha256').update(JSON.stringify(events)).digest('hex')

describe('Simulation', () => {
  const { sim, events } = run()
  const truth = sim.result().groundTruth
  const dayOf = (e: SimEvent) => Math.floor((e.timestamp - sim.startMs) / 86_400_000)

  it('is the same for the same seed and differs for another', () => {
    expect(digest(run().events)).toBe(digest(events))
    expect(digest(run({ ...CONFIG, seed: 4 }).events)).not.toBe(digest(events))
  })

  it('produces events the collector accepts, inside the window, with unique ids', () => {
    for (const e of events) expect(EventSchema.safeParse(e).success).toBe(true)
    expect(Math.min(...events.map(dayOf))).toBeGreaterThanOrEqual(0)
    expect(Math.max(...events.map(dayOf))).toBeLessThan(CONFIG.days)
    expect(new Set(events.map((e) => e.uuid)).size).toBe(events.length)
    expect(truth.totals.events).toBe(events.length)
    expect(truth.totals.users).toBe(CONFIG.users)
  })

  it('signs each browser in before it sends the user id: identify, then group', () => {
    const seenUser = new Set<string>()
    const firstNamed = new Map<string, string>()
    for (const e of events) {
      if (!e.user_id) {
        expect(seenUser.has(e.anonymous_id)).toBe(false)
        continue
      }
      if (!firstNamed.has(e.anonymous_id)) firstNamed.set(e.anonymous_id, e.event)
      seenUser.add(e.anonymous_id)
    }
    expect(new Set(firstNamed.values())).toEqual(new Set(['$identify']))
  })

  it('marks data-feature clicks with feature_key and leaves the others to definitions', () => {
    const keys = new Set(events.filter((e) => e.feature_key).map((e) => e.feature_key))
    for (const f of truth.features) {
      if (f.marked && f.key !== 'billing.upgrade') expect(keys.has(f.key)).toBe(true)
      if (!f.marked) expect(keys.has(f.key)).toBe(false)
    }
    expect(events.some((e) => e.event === '$click' && e.elements?.[0]?.text === 'Connect' && e.url.endsWith('/integrations.html'))).toBe(true)
    expect(events.some((e) => e.event === 'search_performed')).toBe(true)
  })

  it('uses the power feature only after five active days in the first week', () => {
    const activeDays = new Map<string, Set<number>>()
    const joinDay = new Map(sim.users.map((u) => [u.id, u.joinDay]))
    let uses = 0
    for (const e of events) {
      if (!e.user_id || e.event === '$pageleave' || e.event === '$identify' || e.event === '$group') continue
      const days = activeDays.get(e.user_id) ?? new Set<number>()
      activeDays.set(e.user_id, days)
      days.add(dayOf(e))
      if (e.feature_key === truth.powerUserFeature) {
        uses++
        const join = joinDay.get(e.user_id)!
        const week1 = [...days].filter((d) => d <= join + 6).length
        expect(week1).toBeGreaterThanOrEqual(5)
      }
    }
    expect(uses).toBeGreaterThan(0)
  })

  it('states the ground truth it was built with', () => {
    expect(truth.retentionRaising).toEqual(['reports.schedule', 'integrations.connect'])
    expect(truth.powerUserFeature).toBe('projects.bulk_edit')
    expect(truth.renewalFeature).toBe('dashboard.share')
    expect(truth.features.find((f) => f.key === 'projects.bulk_edit')!.role).toBe('power')
    for (const s of truth.sharedSeatUsers) {
      const devices = new Set(events.filter((e) => e.user_id === s.userId).map((e) => e.anonymous_id))
      expect(devices.size).toBe(s.people)
    }
  })

  it('keeps an account book where every due term has an outcome and renewals continue the account', () => {
    const { accountBook } = sim.result()
    const end = CONFIG.endDate
    for (const c of accountBook.contracts) {
      expect(c.end > c.start).toBe(true)
      if (c.end < end) expect(c.outcome).toBeDefined()
      if (c.outcome && c.outcome !== 'churned') {
        const next = accountBook.contracts.find((n) => n.account_id === c.account_id && n.start === c.end)
        expect(next?.amount).toBe(c.new_amount)
      }
    }
    expect(truth.totals.contractsDue).toBe(accountBook.contracts.filter((c) => c.outcome).length)
    // No events from an account between its churn and a reactivation.
    for (const c of accountBook.contracts.filter((x) => x.outcome === 'churned')) {
      const back = accountBook.contracts.find((n) => n.account_id === c.account_id && n.start > c.end)?.start ?? '9999'
      const t0 = Date.parse(`${c.end}T00:00:00Z`)
      const t1 = Date.parse(`${back}T00:00:00Z`)
      expect(events.some((e) => e.account_id === c.account_id && e.timestamp >= t0 && e.timestamp < t1)).toBe(false)
    }
  })
})

describe('usersForEvents', () => {
  it('sizes a run to about the asked number of events', () => {
    const base = { seed: 5, days: 60, endDate: '2025-06-01' }
    const users = usersForEvents(base, 60_000)
    const sim = new Simulation({ ...base, users })
    let n = 0
    for (const s of sim.sessions()) n += s.events.length
    expect(n).toBeGreaterThan(60_000 * 0.8)
    expect(n).toBeLessThan(60_000 * 1.2)
  })
})
