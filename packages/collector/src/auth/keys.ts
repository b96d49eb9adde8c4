import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

function token(bytes: number): string {
  let out = ''
  for (const b of randomBytes(bytes)) out += ALPHABET[b % ALPHABET.length]
  return out
}

/** Public: embedded in web pages; it can only add events. */
export const newWriteKey = () => `wk_${token(24)}`
/** Private: reads data and administers the project. Only its hash is stored. */
export const newSecretKey = () => `sk_${token(32)}`
export const newProjectId = () => `p_${token(12)}`

/** Secrets are long random tokens, so one SHA-256 is enough; no password stretching is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}
