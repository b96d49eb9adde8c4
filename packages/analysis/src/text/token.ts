import { createHmac, randomBytes } from 'node:crypto'

/**
 * Element text tokens. Events store `textToken(key, text)` instead of element text: the first 16
 * lowercase hex characters (64 bits) of HMAC-SHA256 under the project's secret key. Without the
 * key a list of guesses cannot be turned into tokens, so a token says nothing about its text;
 * with it, equality still works (same text, same token). Empty text stays ''.
 */
export const TOKEN_HEX = 16

/** The key size; HMAC-SHA256 keys up to 64 bytes are used as they are. */
export const KEY_BYTES = 32

/** Marker shown wherever a text is not public (fewer than k people produced it). */
export const PRIVATE_TEXT = '(private text)'

export function textToken(key: Buffer, text: string): string {
  if (text === '') return ''
  return createHmac('sha256', key).update(text, 'utf8').digest('hex').slice(0, TOKEN_HEX)
}

/** True for what `textToken` returns for a non-empty text. */
export function isToken(s: string): boolean {
  return /^[0-9a-f]{16}$/.test(s)
}

export function newTextKey(): Buffer {
  return randomBytes(KEY_BYTES)
}

/**
 * The HMAC inner and outer pads of a key (RFC 2104: the key zero-padded to SHA-256's 64-byte
 * block, XOR 0x36 and XOR 0x5c). The store keeps these, so SQL can compute the same token as
 * `SHA256(opad || SHA256(ipad || text))` without a native HMAC function.
 */
export function hmacPads(key: Buffer): { ipad: Buffer; opad: Buffer } {
  if (key.length > 64) throw new Error('text keys are at most 64 bytes')
  const ipad = Buffer.alloc(64, 0x36)
  const opad = Buffer.alloc(64, 0x5c)
  for (let i = 0; i < key.length; i++) {
    ipad[i] = key[i]! ^ 0x36
    opad[i] = key[i]! ^ 0x5c
  }
  return { ipad, opad }
}

/** The key back from its inner pad (the form the store keeps). */
export function keyFromPad(ipadHex: string): Buffer {
  const ipad = Buffer.from(ipadHex, 'hex')
  const key = Buffer.alloc(KEY_BYTES)
  for (let i = 0; i < KEY_BYTES; i++) key[i] = ipad[i]! ^ 0x36
  return key
}

/**
 * SQL for the token of the String expression `text`, given SQL expressions for the pads in hex.
 * Same result as `textToken` ('' stays '').
 */
export function tokenSqlWithPads(text: string, ipadHex: string, opadHex: string): string {
  return `if(${text} = '', '', lower(hex(substring(SHA256(concat(unhex(${opadHex}), SHA256(concat(unhex(${ipadHex}), ${text})))), 1, ${TOKEN_HEX / 2}))))`
}

/**
 * A scalar SQL expression: the token of `text` (a constant, e.g. a parameter placeholder) under the
 * key of `project` (a placeholder such as `{project:String}`), read from `text_keys`. Never a
 * token when the project has no key yet ('-'), so it then matches nothing.
 */
export function tokenSqlForProject(text: string, project: string): string {
  return `(SELECT if(count() = 0, '-', argMin(${tokenSqlWithPads(text, 'ipad_hex', 'opad_hex')}, created_at)) FROM text_keys WHERE project_id = ${project})`
}
