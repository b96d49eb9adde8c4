import { describe, expect, it } from 'vitest'
import { EventSchema } from '@tenure/collector'
import { isHeldOut } from '@tenure/analysis'
import { nudgeVisit, type NudgeMemory, type SimNudge } from './nudges.js'
import { Rng } from './random.js'
import { Simulation } from './simulate.js'
import type { SimEvent } from './sessions.js'

const HOUR = 3_600_000
const nudge = (over: Partial<SimNudge> = {}): SimNudge => ({
  id: 'n-a', feature: 'reports.schedule', fromDay: 0, toDay: 10, holdoutShare: 0.5, firstDays: 14, maxShows: 3, minHoursBetween: 24, follow: 0, click: 1, dismiss: 0, ...over,
})

/** A user id the holdout hash puts in the wanted arm of `id`. */
function userIn(arm: 'shown' | 'held', id: string, share = 0.5): string {
  for (let i = 0; ; i++) if (isHeldOut(`u${i}`, id, share) === (arm === 'held')) return `u${i}`
}

function plugin(opts: { nudges: SimNudge[]; userId: string; lifeDay?: number; used?: Set<string>; memory?: Map<string, NudgeMemory> }) {
  const adopted: string[] = []
  const p = nudgeVisit({
    running: opts.nudges, userId: opts.userId, lifeDay: opts.lifeDay ?? 0, used: opts.used ?? new Set(), memory: opts.memory ?? new Map(), rng: new Rng(7),
    adopt: (f) => adopted.push(f),
  })
  return { p, adopted }
}
const names = (step: ReturnType<ReturnType<typeof nudgeVisit>['onPageview']>) => step?.events.map((e) => `${e.event}:${e.properties.nudge_id}`) ?? []

describe('the simulated nudge plugin (the SDK on a multi-page app)', () => {
  it('records a held-out person once per browser, by the holdout hash, and never shows them the nudge', () => {
    const { p } = plugin({ nudges: [nudge()], userId: userIn('held', 'n-a') })
    expect(names(p.onPageview(0))).toEqual(['$nudge_held_out:n-a'])
    expect(p.onPageview(30 * HOUR)).toBeNull()
    expect(p.onPageview(60 * HOUR)).toBeNull()
  })

  it('shows the banner at most maxShows times, minHoursBetween apart', () => {
    const { p } = plugin({ nudges: [nudge()], userId: userIn('shown', 'n-a') })
    expect(names(p.onPageview(0))).toEqual(['$nudge_shown:n-a'])
    expect(p.onPageview(23 * HOUR)).toBeNull()
    expect(names(p.onPageview(24 * HOUR))).toEqual(['$nudge_shown:n-a'])
    expect(names(p.onPageview(48 * HOUR))).toEqual(['$nudge_shown:n-a'])
    expect(p.onPageview(96 * HOUR)).toBeNull()
  })

  it('follows the call to action to the feature, which the person then uses and adopts; no more showings', () => {
    const { p, adopted } = plugin({ nudges: [nudge({ follow: 1 })], userId: userIn('shown', 'n-a') })
    const step = p.onPageview(0)
    expect(names(step)).toEqual(['$nudge_shown:n-a', '$nudge_clicked:n-a'])
    expect(step!.follow).toEqual({ feature: 'reports.schedule', viaLink: true })
    expect(adopted).toEqual(['reports.schedule'])
    expect(p.onPageview(30 * HOUR)).toBeNull()
  })

  it('records no click for people who go to the feature through the menu; the collector then finds them not eligible', () => {
    const used = new Set<string>()
    const { p, adopted } = plugin({ nudges: [nudge({ follow: 1, click: 0 })], userId: userIn('shown', 'n-a'), used })
    const step = p.onPageview(0)
    expect(names(step)).toEqual(['$nudge_shown:n-a'])
    expect(step!.follow).toEqual({ feature: 'reports.schedule', viaLink: false })
    expect(adopted).toEqual(['reports.schedule'])
    p.onFeature('reports.schedule')
    expect(p.onPageview(30 * HOUR)).toBeNull()
  })

  it('stops after a dismissal', () => {
    const { p } = plugin({ nudges: [nudge({ dismiss: 1 })], userId: userIn('shown', 'n-a') })
    expect(names(p.onPageview(0))).toEqual(['$nudge_shown:n-a', '$nudge_dismissed:n-a'])
    expect(p.onPageview(30 * HOUR)).toBeNull()
  })

  it('leaves out people past their first days and people who used the feature (the collector says they are not eligible)', () => {
    expect(plugin({ nudges: [nudge()], userId: userIn('shown', 'n-a'), lifeDay: 14 }).p.onPageview(0)).toBeNull()
    const used = new Set<string>()
    const { p } = plugin({ nudges: [nudge()], userId: userIn('shown', 'n-a'), used })
    p.onFeature('reports.schedule')
    expect(used.has('reports.schedule')).toBe(true)
    expect(p.onPageview(0)).toBeNull()
  })

  it('shows one nudge per page: a held-out one is recorded on the way, a shown one ends the page', () => {
    const a = nudge({ id: 'n-a' })
    const b = nudge({ id: 'n-b', feature: 'projects.export_csv' })
    let user = ''
    for (let i = 0; !user; i++) if (isHeldOut(`u${i}`, 'n-a', 0.5) && !isHeldOut(`u${i}`, 'n-b', 0.5)) user = `u${i}`
    expect(names(plugin({ nudges: [a, b], userId: user }).p.onPageview(0))).toEqual(['$nudge_held_out:n-a', '$nudge_shown:n-b'])
    let both = ''
    for (let i = 0; !both; i++) if (!isHeldOut(`u${i}`, 'n-a', 0.5) && !isHeldOut(`u${i}`, 'n-b', 0.5)) both = `u${i}`
    const { p } = plugin({ nudges: [a, b], userId: both })
    expect(names(p.onPageview(0))).toEqual(['$nudge_shown:n-a'])
    expect(names(p.onPageview(HOUR))).toEqual(['$nudge_shown:n-b'])
  })
})

describe('a simulated history with free sign-ups, a confounded feature and two nudge experiments', () => {
  const cfg = {
    seed: 4, users: 150, days: 90, endDate: '2025-06-01',
    confounded: { feature: 'projects.export_csv', use: 0.2, exponent: 3, days: 1 },
    freeSignups: { users: 400, fromDay: 30, toDay: 44 },
    nudges: [
      nudge({ id: 'n-schedule', feature: 'reports.schedule', fromDay: 30, toDay: 44, follow: 0.8, click: 0.5, dismiss: 0.05 }),
      nudge({ id: 'n-export', feature: 'projects.export_csv', fromDay: 30, toDay: 44, follow: 0.35, click: 0.5, dismiss: 0.05 }),
    ],
  }
  const sim = new Simulation(cfg)
  const events: SimEvent[] = []
  for (const s of sim.sessions()) events.push(...s.events)
  const { accountBook, groundTruth } = sim.result()
  const DAY = 86_400_000
  const dayOf = (e: SimEvent) => Math.floor((e.timestamp - sim.startMs) / DAY)

  it('adds the free workspaces on their days, outside the account book', () => {
    expect(groundTruth.totals.users).toBe(550)
    const free = sim.accounts.filter((a) => a.plan === 'free')
    expect(free.length).toBeGreaterThan(100)
    for (const a of free) expect(a.signupDay).toBeGreaterThanOrEqual(30)
    const booked = new Set(accountBook.accounts.map((a) => a.id))
    for (const a of free) expect(booked.has(a.id)).toBe(false)
    expect(accountBook.accounts.length).toBe(sim.accounts.length - free.length)
    const freeIds = new Set(free.map((a) => a.id))
    for (const e of events) if (e.account_id && freeIds.has(e.account_id)) expect(dayOf(e)).toBeGreaterThanOrEqual(30)
  })

  it('records exposures as the SDK does: signed in, valid events, in the arm the holdout hash gives, only while the nudge runs', () => {
    const exposures = events.filter((e) => e.event === '$nudge_shown' || e.event === '$nudge_held_out')
    expect(exposures.length).toBeGreaterThan(300)
    for (const e of exposures) {
      expect(EventSchema.safeParse(e).success).toBe(true)
      expect(e.user_id).toBeTruthy()
      const id = e.properties.nudge_id as string
      expect(e.event === '$nudge_held_out').toBe(isHeldOut(e.user_id!, id, 0.5))
      expect(dayOf(e)).toBeGreaterThanOrEqual(30)
      expect(dayOf(e)).toBeLessThan(44)
    }
    // A call to action is a link to the feature's page (a page view without a navigation click), where it is used next.
    const clicks = events.map((e, i) => [e, i] as const).filter(([e]) => e.event === '$nudge_clicked' && e.properties.nudge_id === 'n-schedule')
    expect(clicks.length).toBeGreaterThan(30)
    for (const [e, i] of clicks) {
      const next = events.slice(i + 1).filter((x) => x.session_id === e.session_id && !x.event.startsWith('$nudge_'))
      const use = next.findIndex((x) => x.event === '$click')
      expect(next[use]!.feature_key).toBe('reports.schedule')
      expect(next[use]!.url.endsWith('/reports.html')).toBe(true)
      // No navigation click on the way: either already there, or the link's page load.
      expect(next.slice(0, use).map((x) => x.event)).toEqual(use === 0 ? [] : ['$pageleave', '$pageview'])
    }
  })

  it('moves adoption in the shown arm, and the confounded feature is used by people who return more', () => {
    const armOf = new Map<string, string>()
    for (const e of events) if (e.event === '$nudge_shown' || e.event === '$nudge_held_out') if ((e.properties.nudge_id as string) === 'n-schedule') armOf.set(e.user_id!, e.event)
    const adopters = new Set(sim.users.filter((u) => u.adopted.has('reports.schedule')).map((u) => u.id))
    const rate = (arm: string) => {
      const ids = [...armOf].filter(([, a]) => a === arm).map(([u]) => u)
      return ids.filter((u) => adopters.has(u)).length / ids.length
    }
    expect(rate('$nudge_shown') - rate('$nudge_held_out')).toBeGreaterThan(0.4)
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
    const users = sim.users.filter((u) => u.account.plan !== 'free')
    const withIt = users.filter((u) => u.used.has('projects.export_csv') && !armOf.has(u.id))
    const without = users.filter((u) => !u.used.has('projects.export_csv'))
    expect(mean(withIt.map((u) => u.propensity))).toBeGreaterThan(1.5 * mean(without.map((u) => u.propensity)))
    expect(groundTruth.features.find((f) => f.key === 'projects.export_csv')!.role).toBe('confounded')
  })
})
