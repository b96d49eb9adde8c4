import type { IncomingMessage } from 'node:http'
import { gunzip, gunzipSync } from 'node:zlib'
import { promisify } from 'node:util'
import { HttpError } from '../errors.js'

const gunzipAsync = promisify(gunzip)

/**
 * A small gzip body (an SDK batch is a few KiB) is inflated inline, up to `INLINE_OUTPUT_BYTES`:
 * the work takes microseconds, while the thread pool it would otherwise wait for is shared with
 * the embedded engine's queries and inserts and the spool's fsyncs, so a request could queue
 * behind them. Anything larger, or a body that inflates past that, goes to the pool.
 */
const INLINE_GZIP_BYTES = 16 * 1024
const INLINE_OUTPUT_BYTES = 1024 * 1024

const tooBig = (err: unknown): boolean => (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError

function inflateInline(raw: Buffer, cap: number): Buffer | null {
  if (raw.length > INLINE_GZIP_BYTES) return null
  try {
    return gunzipSync(raw, { maxOutputLength: Math.min(cap, INLINE_OUTPUT_BYTES) })
  } catch (err) {
    // Past the inline limit but maybe within the cap: the pool decides.
    if (tooBig(err) && cap > INLINE_OUTPUT_BYTES) return null
    throw err
  }
}

export interface BodyLimits {
  /** Bytes on the wire. */
  bodyBytes: number
  /** Bytes after decompression. */
  inflatedBytes: number
}

/**
 * Reads a request body as text within limits. The wire size is checked from Content-Length and
 * again while streaming (the header may lie or be absent); gzip is inflated with an output cap, so
 * a small zip bomb fails fast with 413 instead of filling memory. Gzip is recognised by header or
 * by its magic bytes, because sendBeacon cannot set Content-Encoding.
 */
export async function readBody(req: Request, limits: BodyLimits, incoming?: IncomingMessage): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? NaN)
  if (declared > limits.bodyBytes) throw tooLarge(limits.bodyBytes)
  const encoding = (req.headers.get('content-encoding') ?? 'identity').trim().toLowerCase()
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== '') {
    throw new HttpError('unsupported_encoding', `Content-Encoding ${encoding} is not supported; send gzip or plain`, 'content-encoding')
  }
  // Behind @hono/node-server the Node request is at hand: reading it directly skips the web-stream adapter.
  const raw = incoming && !incoming.readableDidRead ? await readIncoming(incoming, limits.bodyBytes) : await readCapped(req, limits.bodyBytes)
  const gzipped = encoding === 'gzip' || (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b)
  if (!gzipped) return raw.toString('utf8')
  let inflated: Buffer
  try {
    inflated = inflateInline(raw, limits.inflatedBytes) ?? (await gunzipAsync(raw, { maxOutputLength: limits.inflatedBytes }))
  } catch (err) {
    if (tooBig(err)) {
      throw new HttpError('inflated_too_large', `the body inflates past ${limits.inflatedBytes} bytes`)
    }
    throw new HttpError('invalid_body', 'the body is not valid gzip')
  }
  return inflated.toString('utf8')
}

async function readCapped(req: Request, max: number): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0)
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let r: ReadableStreamReadResult<Uint8Array>
    try {
      r = await reader.read()
    } catch {
      throw new HttpError('invalid_body', 'the request body could not be read')
    }
    if (r.done) break
    size += r.value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      throw tooLarge(max)
    }
    chunks.push(r.value)
  }
  return Buffer.concat(chunks, size)
}

function readIncoming(incoming: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (fn: () => void) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
      fn()
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      // Past the limit: stop collecting; Node discards the rest of the upload after the 413.
      if (size > max) done(() => reject(tooLarge(max)))
      else chunks.push(chunk)
    }
    const onEnd = () => done(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    const onError = () => done(() => reject(new HttpError('invalid_body', 'the request body could not be read')))
    const onClose = () => {
      if (!incoming.readableEnded) onError()
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}

function tooLarge(max: number): HttpError {
  return new HttpError('payload_too_large', `the body exceeds ${max} bytes`)
}

/** JSON.parse that answers 400 instead of throwing SyntaxError. */
export function parseJson(text: string): unknown {
  if (!text.trim()) throw new HttpError('invalid_json', 'the body is empty')
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError('invalid_json', 'the body is not valid JSON')
  }
}
