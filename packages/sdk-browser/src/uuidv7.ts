const hex = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16)
  return s
}

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, 74 random bits. Sortable by capture time,
 * so the collector's dedup key also orders a user's events.
 */
export function uuidv7(now: number = Date.now()): string {
  const r = crypto.getRandomValues(new Uint8Array(10))
  const ts = now.toString(16).padStart(12, '0').slice(-12)
  const h = hex(r)
  const variant = ((r[2]! & 0x3f) | 0x80).toString(16)
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${h.slice(0, 3)}-${variant}${h.slice(6, 8)}-${h.slice(8)}`
}
