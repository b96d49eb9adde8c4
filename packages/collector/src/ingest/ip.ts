import { isIPv4, isIPv6 } from 'node:net'
import { countryOf } from './country.js'

/**
 * The stored form of a client IP: '' unless storing is enabled, and then truncated (IPv4 to /24,
 * IPv6 to /48) so it locates a network, not a person.
 */
export function storedIp(ip: string | undefined, enabled: boolean): string {
  if (!enabled || !ip) return ''
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip
  if (isIPv4(v4)) return v4.split('.').slice(0, 3).concat('0').join('.')
  if (isIPv6(ip)) return expandV6(ip).slice(0, 3).join(':') + '::'
  return ''
}

function expandV6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const fill = ip.includes('::') ? Array(8 - h.length - t.length).fill('0') : []
  return [...h, ...fill, ...t].map((p) => p.toLowerCase().replace(/^0+(?=.)/, ''))
}

/** What is stored about a client address: its truncated network and its country, or nothing when storing is off. */
export interface StoredAddress {
  ip: string
  country: string
}

export const NO_ADDRESS: StoredAddress = { ip: '', country: '' }

/** The stored form of a client IP and its country (looked up on the full address), or nothing unless storing is enabled. */
export function storedAddress(ip: string | undefined, enabled: boolean): StoredAddress {
  const stored = storedIp(ip, enabled)
  return stored ? { ip: stored, country: countryOf(ip) } : NO_ADDRESS
}
