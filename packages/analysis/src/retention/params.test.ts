import { describe, expect, it } from 'vitest'
import { DayList, HighRetentionParams, RetentionParams } from './params.js'

describe('report parameters', () => {
  it('reads day lists as arrays, comma lists and ranges, sorted and unique', () => {
    expect(DayList.parse('30, 7,1,7')).toEqual([1, 7, 30])
    expect(DayList.parse('0-3')).toEqual([0, 1, 2, 3])
    expect(DayList.parse([14, 0])).toEqual([0, 14])
    expect(DayList.parse(5)).toEqual([5])
    expect(DayList.safeParse('1,,2').success).toBe(false)
    expect(DayList.safeParse('5-1').success).toBe(false)
    expect(DayList.safeParse('0-1000').success).toBe(false)
    expect(DayList.safeParse('x').success).toBe(false)
  })

  it('fills defaults and coerces numbers from query strings', () => {
    expect(RetentionParams.parse({ from: '2024-01-01', to: '2024-01-31' })).toMatchObject({ mode: 'on', start: 'first', cohort: 'week' })
    expect(HighRetentionParams.parse({ from: '2024-01-01', to: '2024-01-31', n: '14', minN: '50' })).toMatchObject({ n: 14, minN: 50, window: 7 })
  })

  it('refuses impossible dates and windows', () => {
    expect(RetentionParams.safeParse({ from: '2024-02-30', to: '2024-03-01' }).success).toBe(false)
    expect(RetentionParams.safeParse({ from: '2024-03-02', to: '2024-03-01' }).success).toBe(false)
    expect(RetentionParams.safeParse({ from: '2024-03-01', to: '2024-03-02', mode: 'weekly' }).success).toBe(false)
    expect(HighRetentionParams.safeParse({ from: '2024-03-01', to: '2024-03-02', n: 3 }).success).toBe(false)
  })
})
