import { describe, expect, it } from 'vitest'
import { isTimeZone } from './time-zone.js'

describe('isTimeZone', () => {
  it('knows IANA zones and refuses anything else', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Mars/Olympus')).toBe(false)
    expect(isTimeZone("UTC'; DROP")).toBe(false)
    expect(isTimeZone('')).toBe(false)
  })
})
