import { describe, expect, it } from 'vitest'
import { chTime } from './rows.js'

describe('chTime', () => {
  it('formats UTC instants with milliseconds, across seconds', () => {
    const base = Date.UTC(2026, 0, 5, 10, 0, 0)
    expect(chTime(base)).toBe('2026-01-05 10:00:00.000')
    expect(chTime(base + 7)).toBe('2026-01-05 10:00:00.007')
    expect(chTime(base + 42)).toBe('2026-01-05 10:00:00.042')
    expect(chTime(base + 999)).toBe('2026-01-05 10:00:00.999')
    expect(chTime(base + 1_000)).toBe('2026-01-05 10:00:01.000')
    expect(chTime(base - 1)).toBe('2026-01-05 09:59:59.999')
    expect(chTime(base + 86_400_000 + 123)).toBe('2026-01-06 10:00:00.123')
  })
})
