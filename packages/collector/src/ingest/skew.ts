/**
 * Clock-skew correction. A client whose clock is off stamps events wrongly by the same offset it
 * stamps `sent_at`; the collector knows the true time of receipt. Offsets within `thresholdMs`
 * are ordinary network latency and are ignored, so normal events keep their exact client time.
 */
export function skewOffset(sentAtMs: number | undefined, receivedAtMs: number, thresholdMs: number): number {
  if (sentAtMs === undefined || !Number.isFinite(sentAtMs)) return 0
  const offset = receivedAtMs - sentAtMs
  return Math.abs(offset) > thresholdMs ? offset : 0
}

/** ISO-8601 text or epoch milliseconds → epoch milliseconds (NaN when unparseable). */
export function instantMs(v: string | number | Date | null | undefined): number {
  if (v === null || v === undefined) return NaN
  if (typeof v === 'number') return v
  if (v instanceof Date) return v.getTime()
  return Date.parse(v)
}
