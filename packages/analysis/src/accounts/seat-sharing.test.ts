import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { insertEvents, type TestEvent } from './__fixtures__/events.js'
import { detectSeatSharing } from './seat-sharing.js'
import { measureIntent, temperatureOf } from './temperature.js'
import { quadrantOf } from './quadrant.js'

const ev = (user: string, account: string, ts: string, extra: Partial<TestEvent> = {}): TestEvent => ({
  event: '$click', timestamp: `${ts}.000`, user_id: user, account_id: account, ...extra,
})
const laptop = { browser: 'Chrome', os: 'Mac OS', device_type: 'desktop' }
const phone = { browser: 'Mobile Safari', os: 'iOS', device_type: 'mobile' }

function fixture(): TestEvent[] {
  const events: TestEvent[] = []
  for (const day of ['2025-03-03', '2025-03-04']) {
    // u1 works on a laptop 09–11 while "u1" is also active on a phone 09:30–10:30: two people, one login.
    for (const h of ['09:00', '10:00', '11:00']) events.push(ev('u1', 'acme', `${day} ${h}:00`, { session_id: `l-${day}`, ...laptop }))
    for (const h of ['09:30', '10:30']) events.push(ev('u1', 'acme', `${day} ${h}:00`, { session_id: `p-${day}`, ...phone }))
    // u2: two sessions one after the other — not sharing.
    events.push(ev('u2', 'acme', `${day} 09:00:00`, { session_id: `a-${day}` }), ev('u2', 'acme', `${day} 10:00:00`, { session_id: `a-${day}` }))
    events.push(ev('u2', 'acme', `${day} 10:30:00`, { session_id: `b-${day}` }), ev('u2', 'acme', `${day} 11:00:00`, { session_id: `b-${day}` }))
    // bolt: p1 is active twelve hours a day, three peers one hour each.
    for (let h = 8; h < 20; h++) events.push(ev('p1', 'bolt', `${day} ${String(h).padStart(2, '0')}:05:00`, { session_id: `s-${day}-${h}` }))
    for (const p of ['p2', 'p3', 'p4']) events.push(ev(p, 'bolt', `${day} 09:10:00`, { session_id: `${p}-${day}` }))
  }
  events.push(
    ev('u2', 'acme', '2025-03-05 09:00:00', { event: '$pageview', path: '/pricing' }),
    ev('u2', 'acme', '2025-03-05 09:01:00', { event: '$pageview', path: '/pricing/teams' }),
    ev('u2', 'acme', '2025-03-05 09:02:00', { element_text: 'Upgrade plan' }),
    ev('u2', 'acme', '2025-03-05 09:03:00', { event: 'checkout_started' }),
    ev('u2', 'acme', '2025-03-05 09:04:00', { event: '$pageview', path: '/settings' }),
  )
  return events
}

describe('seat sharing and purchase intent (embedded engine)', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  beforeAll(async () => {
    t = await openTestStore()
    await insertEvents(t.store.client, 'p', fixture())
  })
  afterAll(() => t.cleanup())

  it('flags one login active on two devices at overlapping times, with the sessions as evidence', async () => {
    const r = await detectSeatSharing(t.store.client, 'p', '2025-03-01', '2025-03-10')
    const acme = r.accounts.find((a) => a.accountId === 'acme')!
    expect(acme.flaggedUsers.map((u) => [u.userId, u.reasons, u.overlapDays])).toEqual([['u1', ['overlapping_sessions'], 2]])
    expect(acme.flaggedUsers[0]!.overlaps[0]).toEqual({
      day: '2025-03-03', overlapSeconds: 3600,
      a: { session: 'l-2025-03-03', device: 'Chrome / Mac OS / desktop', start: '2025-03-03 09:00:00.000', end: '2025-03-03 11:00:00.000' },
      b: { session: 'p-2025-03-03', device: 'Mobile Safari / iOS / mobile', start: '2025-03-03 09:30:00.000', end: '2025-03-03 10:30:00.000' },
    })
  })

  it('flags a person far more active than their peers', async () => {
    const r = await detectSeatSharing(t.store.client, 'p', '2025-03-01', '2025-03-10')
    const bolt = r.accounts.find((a) => a.accountId === 'bolt')!
    expect(bolt.flaggedUsers.map((u) => [u.userId, u.reasons])).toEqual([['p1', ['heavy_use']]])
    expect(bolt.flaggedUsers[0]!.activity).toMatchObject({ activeDays: 2, activeHours: 24, hoursPerActiveDay: 12, peerMedianHoursPerDay: 1 })
    // Requiring overlaps on three days clears u1.
    const strict = await detectSeatSharing(t.store.client, 'p', '2025-03-01', '2025-03-10', { minOverlapDays: 3 })
    expect(strict.accounts.map((a) => a.accountId)).toEqual(['bolt'])
  })

  it('reads purchase intent into a temperature', async () => {
    const intent = await measureIntent(t.store.client, 'p', '2025-03-01', '2025-03-10', new Map([['acme', 2], ['bolt', 40], ['quiet', null]]))
    const acme = intent.get('acme')!
    expect([acme.pricingViews, acme.upgradeClicks, acme.activeUsers, acme.seatUtilisation]).toEqual([2, 2, 2, 1])
    // (2/3 pricing + 1 upgrade + 1 seats) / 3
    expect(temperatureOf(acme)).toBeCloseTo((100 * (2 / 3 + 1 + 1)) / 3, 9)
    expect(temperatureOf(intent.get('quiet')!)).toBe(0)
    expect(quadrantOf(30, temperatureOf(acme))).toBe('convert')
  })
})
