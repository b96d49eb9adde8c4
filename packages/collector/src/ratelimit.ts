/**
 * Token bucket per key: `rate` tokens a second up to `burst`. Ingestion spends one token per
 * event, so one large batch costs what its events cost. Pure apart from the clock, which is passed in.
 */
export interface RateDecision {
  ok: boolean
  /** Seconds until the request would fit, when refused. */
  retryAfter: number
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string, cost = 1): RateDecision {
    const t = this.now()
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate)
    b.at = t
    this.buckets.set(key, b)
    // A request larger than the whole burst is allowed once the bucket is full, so it is never refused forever.
    const need = Math.min(cost, this.burst)
    if (b.tokens >= need) {
      b.tokens -= cost
      return { ok: true, retryAfter: 0 }
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((need - b.tokens) / this.rate)) }
  }
}
