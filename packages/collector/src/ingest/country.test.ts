import { describe, expect, it } from 'vitest'
import { countryOf } from './country.js'
import { NO_ADDRESS, storedAddress } from './ip.js'

// Addresses of long-lived registries and universities, whose country does not move between data releases.
const RIPE_NCC = '193.0.6.139' // Amsterdam
const U_TOKYO = '133.11.0.1'
const SWITCH_V6 = '2001:620::1' // the Swiss research network
const WIDE_V6 = '2001:200::1' // the Japanese WIDE project

describe('countryOf', () => {
  it('finds the country of public IPv4 and IPv6 addresses, IPv4-mapped ones included', () => {
    expect(countryOf(RIPE_NCC)).toBe('NL')
    expect(countryOf(U_TOKYO)).toBe('JP')
    expect(countryOf(SWITCH_V6)).toBe('CH')
    expect(countryOf(WIDE_V6)).toBe('JP')
    expect(countryOf(`::ffff:${RIPE_NCC}`)).toBe('NL')
    // Neighbours of the private ranges are public.
    expect(countryOf('172.32.0.1')).not.toBe('')
    expect(countryOf('100.128.0.1')).not.toBe('')
  })

  it('gives no country for private, loopback, link-local, documentation and invalid addresses', () => {
    for (const ip of [
      '0.1.2.3', '10.1.2.3', '172.16.0.9', '172.31.255.1', '192.168.1.1', '100.64.0.1', '100.127.0.1', '127.0.0.1', '169.254.1.1', '192.0.2.5', '198.18.0.1',
      '198.51.100.7', '203.0.113.77', '224.0.0.251', '255.255.255.255', '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fd12:3456::1', 'FC00::1', 'ff02::1',
      '2001:db8::1', '2001:0db8:85a3::8a2e:370:7334', '::ffff:10.0.0.1', 'not an ip', '1.2.3', '', undefined,
    ]) {
      expect(countryOf(ip), String(ip)).toBe('')
    }
  })
})

describe('storedAddress', () => {
  it('stores nothing, not even the country, unless IP storage is on', () => {
    expect(storedAddress(RIPE_NCC, false)).toEqual(NO_ADDRESS)
    expect(NO_ADDRESS).toEqual({ ip: '', country: '' })
  })

  it('keeps the truncated network and the country looked up on the full address', () => {
    expect(storedAddress(RIPE_NCC, true)).toEqual({ ip: '193.0.6.0', country: 'NL' })
    expect(storedAddress(SWITCH_V6, true)).toEqual({ ip: '2001:620:0::', country: 'CH' })
    expect(storedAddress('192.168.1.20', true)).toEqual({ ip: '192.168.1.0', country: '' })
    expect(storedAddress('garbage', true)).toEqual(NO_ADDRESS)
  })
})
