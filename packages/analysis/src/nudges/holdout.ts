/**
 * Holdout assignment shared with the browser SDK (`sdk-browser/src/nudges/hash.ts` holds the same
 * function; both sides assert the same test vector). A user's arm depends only on their id and
 * the nudge id, so it survives reloads, devices and restarts, and nothing needs to be stored.
 */

const encoder = new TextEncoder()

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5
  for (const b of encoder.encode(text)) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** 0 … 9999: where a user falls for a nudge. */
export function holdoutBucket(userId: string, nudgeId: string): number {
  return fnv1a32(`${userId}:${nudgeId}`) % 10_000
}

/** True when the user is in the nudge's holdout (never shown the nudge). `share` is 0 … 1. */
export function isHeldOut(userId: string, nudgeId: string, share: number): boolean {
  return holdoutBucket(userId, nudgeId) < Math.round(share * 10_000)
}
