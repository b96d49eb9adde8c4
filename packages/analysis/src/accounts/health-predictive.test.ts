import { describe, expect, it } from 'vitest'
import { chooseWindows } from './health-defaults.js'
import { judgePredictiveness } from './health-predictive.js'

const aucOf = (auc: number, low: number, high: number) => ({ auc, low, high, positives: 50, negatives: 20 })

describe('judgePredictiveness (metrics.md §6)', () => {
  it('is predictive only when the held-out interval lies above 0.5, a weight is not 0 and 10 renewals were lost', () => {
    const ok = judgePredictiveness({ heldOut: aucOf(0.8, 0.66, 0.93), heldOutCount: 70, weights: [1.2, 0], fitted: true, lost: 25 })
    expect(ok).toEqual({ predictive: true, summary: 'predictive', missing: [] })
  })

  it('names each missing thing: chance-level interval, zero weights, too few losses', () => {
    const r = judgePredictiveness({ heldOut: aucOf(0.5, 0.3, 0.7), heldOutCount: 58, weights: [0, 0.0001, -0.0002], fitted: true, lost: 9, excludedBeforeHistory: 40 })
    expect(r.predictive).toBe(false)
    expect(r.summary).toMatch(/^not predictive yet: held-out AUC 0\.50 \(95% interval 0\.30–0\.70\) includes 0\.5/)
    expect(r.missing).toHaveLength(4)
    expect(r.missing[1]).toMatch(/every fitted weight is 0/)
    expect(r.missing[2]).toMatch(/only 9 lost renewals.*at least 10/)
    expect(r.missing[3]).toMatch(/40 earlier renewals were left out/)
  })

  it('treats an interval touching 0.5 and a missing held-out AUC as not predictive', () => {
    expect(judgePredictiveness({ heldOut: aucOf(0.7, 0.5, 0.9), heldOutCount: 30, weights: [1], fitted: true, lost: 12 }).predictive).toBe(false)
    const none = judgePredictiveness({ heldOut: null, heldOutCount: 0, weights: [1], fitted: true, lost: 12 })
    expect(none.missing[0]).toMatch(/no later renewals/)
    const oneSided = judgePredictiveness({ heldOut: null, heldOutCount: 12, weights: [1], fitted: true, lost: 12 })
    expect(oneSided.missing[0]).toMatch(/all renewed or all lost/)
  })

  it('does not judge hand-set weights by the zero-weight rule', () => {
    expect(judgePredictiveness({ heldOut: aucOf(0.8, 0.7, 0.9), heldOutCount: 70, weights: [0, 0], fitted: false, lost: 20 }).predictive).toBe(true)
  })
})

describe('chooseWindows', () => {
  it('keeps 90 + 90 days when the history has room for them twice', () => {
    const w = chooseWindows('2026-12-01', '2024-11-01')
    expect([w.windowDays, w.horizonDays]).toEqual([90, 90])
    expect(w.note).toMatch(/the defaults/)
  })

  it('shortens both to share a quarter of a shorter history, and says so', () => {
    const w = chooseWindows('2026-12-01', '2026-06-04')
    expect(w.historyDays).toBe(180)
    expect([w.windowDays, w.horizonDays]).toEqual([30, 15])
    expect(w.note).toBe('30-day usage window, scored 15 days before each renewal: shortened from 90 + 90 days to fit the 180 days of history since 2026-06-04')
    for (const from of ['2026-09-02', '2025-12-01', '2025-06-01'] as const) {
      const c = chooseWindows('2026-12-01', from)
      expect(c.windowDays + c.horizonDays).toBeLessThanOrEqual(Math.max(8, c.historyDays / 4))
      expect(c.windowDays).toBeGreaterThanOrEqual(c.horizonDays)
    }
    expect(chooseWindows('2026-12-01', '2026-11-20')).toMatchObject({ windowDays: 7, horizonDays: 1 })
  })

  it('keeps what was asked for and fills in only the rest', () => {
    expect(chooseWindows('2026-12-01', '2026-09-02', { windowDays: 45, horizonDays: 5 })).toMatchObject({ windowDays: 45, horizonDays: 5, note: expect.stringMatching(/as asked/) })
    expect(chooseWindows('2026-12-01', '2026-06-04', { windowDays: 20 })).toMatchObject({ windowDays: 20, horizonDays: 15 })
  })

  it('says when nothing is stored', () => {
    expect(chooseWindows('2026-12-01', null).note).toMatch(/no events are stored yet/)
  })
})
