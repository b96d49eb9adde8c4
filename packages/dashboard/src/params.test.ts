import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { addDays, checkRange, daysBetween, isoDate, ParamError, parseParams, timeZone, todayIn, urlWith } from './params.js'

describe('report parameters', () => {
  const schema = z.object({ from: isoDate, tz: timeZone.default('UTC') })

  it('parses valid values and fills defaults', () => {
    expect(parseParams(schema, { from: '2026-02-28' })).toEqual({ from: '2026-02-28', tz: 'UTC' })
  })

  it('names the field of the first problem', () => {
    expect(() => parseParams(schema, { from: '2026-02-30' })).toThrow(ParamError)
    try {
      parseParams(schema, { from: '2026-01-01', tz: 'Mars/Olympus' })
    } catch (e) {
      expect(e).toMatchObject({ field: 'tz', message: expect.stringContaining('tz is not an IANA time zone') })
    }
  })

  it('knows time zones and local dates', () => {
    expect(timeZone.safeParse('Europe/Berlin').success).toBe(true)
    expect(timeZone.safeParse("UTC'; DROP").success).toBe(false)
    const instant = new Date('2026-03-01T23:30:00Z')
    expect(todayIn('UTC', instant)).toBe('2026-03-01')
    expect(todayIn('Asia/Tokyo', instant)).toBe('2026-03-02')
  })

  it('does date arithmetic on calendar days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59)
    expect(() => checkRange('2026-02-01', '2026-01-01')).toThrow(/from must not be after to/)
    expect(() => checkRange('2020-01-01', '2026-01-01', 365)).toThrow(/limited to 365 days/)
  })

  it('builds stable URLs without empty values', () => {
    expect(urlWith('/app/x', { from: '2026-01-01', n: 7, tz: '', k: undefined })).toBe('/app/x?from=2026-01-01&n=7')
    expect(urlWith('/app/x', {})).toBe('/app/x')
    expect(urlWith('/app/x', { tz: 'Europe/Berlin' })).toBe('/app/x?tz=Europe%2FBerlin')
  })
})
