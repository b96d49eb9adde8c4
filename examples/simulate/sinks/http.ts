import type { SimSession, SimEvent } from '../sessions.js'

export interface HttpSinkOptions {
  /** Collector origin, e.g. http://127.0.0.1:8787 */
  url: string
  writeKey: string
  /** Events per request (the SDK sends small batches; 50–500 is realistic). */
  batchSize?: number
  /** Requests in flight at once. */
  concurrency?: number
  /** Give up on a batch after this many refused attempts (429/503/network). */
  maxAttempts?: number
}

export interface HttpSinkStats {
  requests: number
  events: number
  accepted: number
  duplicates: number
  rejected: number
  retries: number
  /** Round-trip time of every successful request, in milliseconds. */
  latenciesMs: number[]
  firstRejection?: unknown
}

/**
 * Sends simulated visits to `POST /v1/batch` the way browsers would: each batch holds events of
 * one user agent (the collector reads browser and OS from the request header), with the write key
 * and a `sent_at` of now. 429 and 503 answers are retried after the time the collector asks for.
 */
export class HttpSink {
  readonly stats: HttpSinkStats = { requests: 0, events: 0, accepted: 0, duplicates: 0, rejected: 0, retries: 0, latenciesMs: [] }
  private readonly buffers = new Map<string, SimEvent[]>()
  private readonly inFlight = new Set<Promise<void>>()
  private failure: Error | null = null
  private readonly batchSize: number
  private readonly concurrency: number
  private readonly maxAttempts: number
  private readonly endpoint: string

  constructor(private readonly opts: HttpSinkOptions) {
    this.batchSize = opts.batchSize ?? 200
    this.concurrency = opts.concurrency ?? 4
    this.maxAttempts = opts.maxAttempts ?? 30
    if (this.batchSize < 1 || this.batchSize > 1000) throw new Error('batchSize must be 1..1000')
    this.endpoint = `${opts.url.replace(/\/$/, '')}/v1/batch`
  }

  async write(session: SimSession): Promise<void> {
    let buffer = this.buffers.get(session.ua)
    if (!buffer) this.buffers.set(session.ua, (buffer = []))
    for (const e of session.events) {
      buffer.push(e)
      if (buffer.length >= this.batchSize) {
        await this.send(session.ua, buffer.splice(0, buffer.length))
      }
    }
  }

  /** Sends what is buffered and waits for every request. */
  async flush(): Promise<HttpSinkStats> {
    for (const [ua, buffer] of this.buffers) if (buffer.length) await this.send(ua, buffer.splice(0, buffer.length))
    await Promise.all(this.inFlight)
    if (this.failure) throw this.failure
    return this.stats
  }

  private async send(ua: string, events: SimEvent[]): Promise<void> {
    if (this.failure) throw this.failure
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight)
    const p = this.post(ua, events).catch((err: unknown) => {
      this.failure ??= err instanceof Error ? err : new Error(String(err))
    })
    this.inFlight.add(p)
    void p.finally(() => this.inFlight.delete(p))
  }

  private async post(ua: string, events: SimEvent[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now()
      let res: Response
      try {
        res = await fetch(this.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': ua },
          body: JSON.stringify({ write_key: this.opts.writeKey, sent_at: Date.now(), events }),
        })
      } catch (err) {
        if (attempt >= this.maxAttempts) throw err
        this.stats.retries++
        await sleep(backoffMs(attempt))
        continue
      }
      this.stats.requests++
      if (res.status === 429 || res.status === 503) {
        await res.arrayBuffer()
        if (attempt >= this.maxAttempts) throw new Error(`collector kept answering ${res.status}`)
        this.stats.retries++
        const retryAfter = Number(res.headers.get('retry-after'))
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoffMs(attempt))
        continue
      }
      const body = (await res.json().catch(() => null)) as {
        accepted?: number
        duplicates?: number
        rejected?: unknown[]
        error?: { code: string; message: string }
      } | null
      if (!res.ok && !body?.rejected) {
        throw new Error(`collector answered ${res.status}: ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`)
      }
      this.stats.latenciesMs.push(performance.now() - started)
      this.stats.events += events.length
      this.stats.accepted += body?.accepted ?? 0
      this.stats.duplicates += body?.duplicates ?? 0
      const rejected = body?.rejected ?? []
      this.stats.rejected += rejected.length
      if (rejected.length && this.stats.firstRejection === undefined) this.stats.firstRejection = rejected[0]
      return
    }
  }
}

function backoffMs(attempt: number): number {
  return Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
