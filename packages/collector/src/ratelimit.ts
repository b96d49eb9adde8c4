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
    /** Buckets kept at most; the oldest key is forgotten first (keys from clients must not grow memory without bound). */
    private readonly maxKeys = Infinity,
  ) {}

  take(key: string, cost = 1): RateDecision {
    const b = this.refill(key)
    const decision = this.decide(b, cost)
    if (decision.ok) b.tokens -= cost
    return decision
  }

  /** Whether `cost` would be allowed now, without spending it. */
  check(key: string, cost = 1): RateDecision {
    return this.decide(this.refill(key), cost)
  }

  private refill(key: string): Bucket {
    const t = this.now()
    let b = this.buckets.get(key)
    if (!b) {
      b = { tokens: this.burst, at: t }
      this.buckets.set(key, b)
      if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!)
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate)
    b.at = t
    return b
  }

  private decide(b: Bucket, cost: number): RateDecision {
    // A request larger than the whole burst is allowed once the bucket is full, so it is never refused forever.
    const need = Math.min(cost, this.burst)
    if (b.tokens >= need) return { ok: true, retryAfter: 0 }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((need - b.tokens) / this.rate)) }
  }
}
