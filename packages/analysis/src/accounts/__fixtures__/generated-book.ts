import { addDays, addMonths, type IsoDate } from '../dates.js'
import type { Account, ContractVersion } from '../types.js'
import type { TestEvent } from './events.js'

/**
 * A book of accounts whose renewals are driven by one feature, with the ground truth known:
 * accounts that use feature `x` renew with probability `renewWithX`, the others with
 * `renewWithoutX`. Features `a`–`d` are used at random and change nothing. Usage is a stable
 * trait of an account, so it shows both in the look-back window and before it.
 */
export interface GeneratedBook {
  asOf: IsoDate
  accounts: Account[]
  contracts: ContractVersion[]
  events: TestEvent[]
  truth: Map<string, { usesX: boolean }>
}

export interface GeneratorOptions {
  seed?: number
  accounts?: number
  renewWithX?: number
  renewWithoutX?: number
}

function prng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const NEUTRAL = ['a', 'b', 'c', 'd']

export function generateBook(opts: GeneratorOptions = {}): GeneratedBook {
  // Traits and outcomes draw from one stream, usage from another, so changing how usage is
  // generated never changes who renews.
  const rnd = prng(opts.seed ?? 42)
  const usageRnd = prng((opts.seed ?? 42) ^ 0x5bd1e995)
  const asOf = '2026-01-31'
  const n = opts.accounts ?? 240
  const accounts: Account[] = []
  const contracts: ContractVersion[] = []
  const events: TestEvent[] = []
  const truth = new Map<string, { usesX: boolean }>()
  for (let i = 0; i < n; i++) {
    const id = `acct-${String(i).padStart(3, '0')}`
    const usesX = rnd() < 0.5
    const neutral = NEUTRAL.filter(() => rnd() < 0.5)
    const seats = 4 + Math.floor(rnd() * 9)
    const users = Array.from({ length: Math.max(2, Math.round(seats * (0.4 + rnd() * 0.6))) }, (_, u) => `${id}-u${u}`)
    const dailyRate = 0.15 + rnd() * 0.25
    truth.set(id, { usesX })
    accounts.push({ accountId: id, name: `Account ${i}`, plan: 'team', seats, cac: String(2000 + Math.floor(rnd() * 4000)) })
    // First annual term starts somewhere in 2023-02 .. 2024-11; renewals follow until a churn or asOf.
    let start = addDays('2023-02-01', Math.floor(rnd() * 660))
    let amount = 1200 * seats
    let term = 0
    let activeUntil: IsoDate = asOf
    for (;;) {
      const end = addMonths(start, 12)
      contracts.push({ contractId: `${id}-t${term}`, accountId: id, effectiveFrom: start, termStart: start, termEnd: end, amount: String(amount), currency: 'USD', billingMonths: 12, seats })
      if (end > asOf) break
      const renews = rnd() < (usesX ? opts.renewWithX ?? 0.85 : opts.renewWithoutX ?? 0.45)
      if (!renews) {
        activeUntil = end
        break
      }
      amount = Math.round(amount * (0.9 + rnd() * 0.3))
      start = end
      term += 1
    }
    // Usage only where reports look: 185 days before each due date, and the last 95 days for accounts still paying.
    const needed = new Set<IsoDate>()
    const addRange = (to: IsoDate, days: number) => {
      for (let d = 1; d <= days; d++) needed.add(addDays(to, -d))
    }
    for (const c of contracts) if (c.accountId === id && c.termEnd! <= asOf) addRange(c.termEnd!, 185)
    if (activeUntil === asOf) addRange(asOf, 95)
    for (const day of [...needed].sort()) {
      for (const user of users) {
        if (usageRnd() >= dailyRate) continue
        const hh = String(8 + Math.floor(usageRnd() * 10)).padStart(2, '0')
        const ts = `${day} ${hh}:${String(Math.floor(usageRnd() * 60)).padStart(2, '0')}:00.000`
        events.push({ event: '$pageview', timestamp: ts, user_id: user, account_id: id, path: '/app', session_id: `${user}-${day}` })
        if (usesX && usageRnd() < 0.5) events.push({ event: '$click', timestamp: ts, user_id: user, account_id: id, feature_key: 'x', session_id: `${user}-${day}` })
        for (const f of neutral) {
          if (usageRnd() < 0.25) events.push({ event: '$click', timestamp: ts, user_id: user, account_id: id, feature_key: f, session_id: `${user}-${day}` })
        }
      }
      if (usageRnd() < 0.01) events.push({ event: '$pageview', timestamp: `${day} 12:00:00.000`, user_id: users[0]!, account_id: id, path: '/pricing' })
    }
  }
  return { asOf, accounts, contracts, events, truth }
}
