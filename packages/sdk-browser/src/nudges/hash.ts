/**
 * Holdout assignment, the same function as `analysis/src/nudges/holdout.ts` (both sides assert the
 * same test vector): FNV-1a 32-bit over the UTF-8 bytes of `userId:nudgeId`, bucket = hash mod
 * 10 000, held out when the bucket is below share × 10 000. Stable across reloads and devices.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0
  return h >>> 0
}

export const holdoutBucket = (userId: string, nudgeId: string): number => fnv1a32(`${userId}:${nudgeId}`) % 10_000

export const isHeldOut = (userId: string, nudgeId: string, share: number): boolean =>
  holdoutBucket(userId, nudgeId) < Math.round(share * 10_000)
