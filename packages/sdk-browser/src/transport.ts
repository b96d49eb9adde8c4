import { parseRetryAfter } from './queue/backoff.js'

export interface SendResult {
  /** HTTP status; 0 when the request never got an answer (offline, DNS, timeout, CORS). */
  status: number
  retryAfterMs?: number
  /** The parsed JSON answer, when there is one. */
  json?: unknown
}

export interface Transport {
  send(body: string): Promise<SendResult>
  /** Hands the body to the browser to deliver after the page is gone; false when it refused. */
  beacon(body: string): boolean
}

const TIMEOUT_MS = 30_000
/** Smaller bodies are not worth the async round trip through CompressionStream. */
const GZIP_MIN = 1024

async function gzip(body: string): Promise<Uint8Array> {
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * POSTs batches as `text/plain` with no custom header, so the browser sends no CORS preflight;
 * gzip bodies are recognised by the collector from their magic bytes. Every request is keepalive,
 * so one in flight when the page closes still completes.
 */
export function httpTransport(url: string): Transport {
  return {
    async send(body) {
      let data: Blob | string = body
      if (body.length >= GZIP_MIN && typeof CompressionStream === 'function') {
        try {
          const zipped = await gzip(body)
          data = new Blob([zipped as BlobPart], { type: 'text/plain' })
        } catch {
          // Plain text is always accepted.
        }
      }
      const ctrl = new AbortController()
      const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS)
      try {
        const res = await fetch(url, {
          method: 'POST',
          body: data,
          // Batches stay under the 64 KiB browsers allow keepalive bodies (MAX_BATCH_BYTES).
          keepalive: true,
          credentials: 'omit',
          signal: ctrl.signal,
        })
        let json: unknown
        try {
          json = await res.json()
        } catch {
          // An empty or non-JSON answer carries no instructions.
        }
        return { status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()), json }
      } catch {
        return { status: 0 }
      } finally {
        clearTimeout(timer)
      }
    },
    beacon(body) {
      try {
        if (navigator.sendBeacon) return navigator.sendBeacon(url, body)
        void fetch(url, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => {})
        return true
      } catch {
        return false
      }
    },
  }
}
