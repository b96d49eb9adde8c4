import { describe, expect, it } from 'vitest'
import { flagOf, plainParamError } from './messages.js'

describe('plain messages for report parameters on the command line', () => {
  it('names the flag, not the schema field', () => {
    expect(flagOf('asOf')).toBe('--as-of')
    expect(flagOf('minN')).toBe('--min-n')
    expect(flagOf('bands.redBelow')).toBe('--bands')
  })

  it('says what to fix in words', () => {
    expect(plainParamError('from: Invalid input: expected string, received undefined', 'from', 'retention')).toBe('--from is required (tenure report retention --help lists its options)')
    expect(plainParamError('n: Invalid input: expected number, received NaN', 'n')).toBe('--n must be a number')
    expect(plainParamError('minN: Too small: expected number to be >=1', 'minN')).toBe('--min-n must be at least 1')
    expect(plainParamError('windowDays: Too big: expected number to be <=3660', 'windowDays')).toBe('--window-days must be at most 3660')
    expect(plainParamError('mode: Invalid option: expected one of "on"|"on_or_after"', 'mode')).toBe('--mode must be one of on, on_or_after')
    expect(plainParamError('asOf: cannot read "x" as a date', 'asOf')).toBe('--as-of: cannot read "x" as a date')
    expect(plainParamError('give one weight per component', null)).toBe('give one weight per component')
  })

  it('never shows zod wording', () => {
    for (const m of ['Invalid input: expected string, received undefined', 'Invalid input: expected number, received NaN']) {
      expect(plainParamError(`x: ${m}`, 'x')).not.toMatch(/Invalid input|received/)
    }
  })
})
