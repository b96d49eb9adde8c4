const hex = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16)
  return s
}

let lastMs = -1
let seq = 0

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, a 12-bit counter, 62 random bits.
 * Within one page the ids strictly increase (the counter orders events of the same
 * millisecond, RFC 9562 §6.2 method 1), so the collector's dedup key also orders a user's events.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    // Start low in the counter's range so a burst within one millisecond rarely overflows it.
    seq = crypto.getRandomValues(new Uint8Array(1))[0]!
  } else if (++seq > 0xfff) {
    lastMs++
    seq = 0
  }
  const r = crypto.getRandomValues(new Uint8Array(8))
  const ts = lastMs.toString(16).padStart(12, '0').slice(-12)
  const variant = ((r[0]! & 0x3f) | 0x80).toString(16)
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${seq.toString(16).padStart(3, '0')}-${variant}${hex(r.subarray(1, 2))}-${hex(r.subarray(2))}`
}
