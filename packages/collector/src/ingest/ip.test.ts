import { describe, expect, it } from 'vitest'
import { storedIp } from './ip.js'

describe('storedIp', () => {
  it('stores nothing unless enabled', () => {
    expect(storedIp('203.0.113.77', false)).toBe('')
  })
  it('truncates IPv4 to /24 and IPv6 to /48, including mapped IPv4', () => {
    expect(storedIp('203.0.113.77', true)).toBe('203.0.113.0')
    expect(storedIp('::ffff:198.51.100.9', true)).toBe('198.51.100.0')
    expect(storedIp('2001:db8:85a3:8d3:1319:8a2e:370:7348', true)).toBe('2001:db8:85a3::')
    expect(storedIp('2001:db8::1', true)).toBe('2001:db8:0::')
    expect(storedIp('not an ip', true)).toBe('')
  })
})
