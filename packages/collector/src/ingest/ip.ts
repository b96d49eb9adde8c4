import { isIPv4, isIPv6 } from 'node:net'

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
