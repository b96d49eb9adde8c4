import { NudgeInput } from '@tenure/analysis'
import { describe, expect, it } from 'vitest'
import { NEW_NUDGE, nudgeFormField, nudgeInput, readNudgeForm } from './nudge-form.js'

describe('nudge form', () => {
  it('turns a filled banner form into a valid nudge input', () => {
    const v = readNudgeForm({ ...NEW_NUDGE, name: ' Try scheduling ', feature: 'reports-schedule', pages: '/dashboard, /reports/**', body: 'Schedule a report to get it every Monday.', cta_label: 'Show me', cta_url: '/reports', holdout_pct: '20' })
    const input = nudgeInput(v)
    expect(input).toEqual({
      name: 'Try scheduling', featureId: 'reports-schedule',
      audience: { firstDays: 14, pages: ['/dashboard', '/reports/**'], plans: [], anonymous: false },
      placement: { type: 'banner', position: 'bottom' },
      copy: { body: 'Schedule a report to get it every Monday.', cta: { label: 'Show me', url: '/reports' } },
      frequency: { maxShows: 3, minHoursBetween: 24 }, holdoutShare: 0.2,
    })
    expect(NudgeInput.safeParse(input).success).toBe(true)
    // The checkbox, ticked, takes anonymous visitors too.
    expect(nudgeInput(readNudgeForm({ ...NEW_NUDGE, anonymous: 'on' })).audience?.anonymous).toBe(true)
  })

  it('builds a tooltip placement and leaves bad numbers for the validator to name', () => {
    const v = readNudgeForm({ ...NEW_NUDGE, name: 'x', feature: 'f', placement: 'tooltip', selector: 'button.connect', side: 'top', body: 'b', max_shows: 'many' })
    const input = nudgeInput(v)
    expect(input.placement).toEqual({ type: 'tooltip', selector: 'button.connect', side: 'top', fallback: 'banner' })
    const r = NudgeInput.safeParse(input)
    expect(r.success).toBe(false)
    expect(nudgeFormField(r.error!.issues[0]!.path.join('.'))).toBe('max_shows')
  })

  it('maps analysis field paths to form fields', () => {
    expect(nudgeFormField('featureId')).toBe('feature')
    expect(nudgeFormField('copy.cta.url')).toBe('cta_url')
    expect(nudgeFormField('audience.pages.0')).toBe('pages')
    expect(nudgeFormField(null)).toBeNull()
  })
})
