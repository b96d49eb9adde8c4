import type { ContractBook, PricedVersion } from './book.js'
import { addDays, type IsoDate } from './dates.js'
import { mrrUnits, parseAmount, ratio } from './money.js'
import type { RenewalLabel, RenewalOutcome } from './types.js'
import { pushTo } from '../multimap.js'

/**
 * One account's contracts coming due on one date. Renewals happen per account, so contracts of an
 * account that end on the same day are one renewal.
 */
export interface RenewalEvent {
  accountId: string
  dueDate: IsoDate
  contractIds: string[]
  /** MRR of the terms that ended (exact units of the book's scale). */
  oldMrr: bigint
  /** MRR after the renewal; 0 when churned, null while pending. */
  newMrr: bigint | null
  outcome: RenewalLabel | 'pending'
  /** `imported` = recorded renewal outcomes; `derived` = read from the contracts that follow. */
  source: 'imported' | 'derived'
  seats: number | null
  warnings: string[]
}

export interface RenewalOptions {
  asOf: IsoDate
  /** A following contract may start this many days after the due date and still count as the renewal. */
  graceDays?: number
  /** …or this many days before it (early renewals). */
  earlyDays?: number
}

interface Term {
  contractId: string
  accountId: string
  start: IsoDate
  end: IsoDate | null
  first: PricedVersion
  last: PricedVersion
}

function termsOf(book: ContractBook): Term[] {
  const terms: Term[] = []
  for (const versions of book.byContract.values()) {
    const byTerm = new Map<string, PricedVersion[]>()
    for (const v of versions) {
      const key = `${v.termStart}|${v.termEnd ?? ''}`
      pushTo(byTerm, key, v)
    }
    for (const list of byTerm.values()) {
      const inTerm = list.filter((v) => v.termEnd === null || v.effectiveFrom < v.termEnd)
      if (inTerm.length === 0) continue
      const first = inTerm[0]!
      terms.push({ contractId: first.contractId, accountId: first.accountId, start: first.termStart, end: first.termEnd, first, last: inTerm.at(-1)! })
    }
  }
  return terms
}

export function labelFor(oldMrr: bigint, newMrr: bigint): RenewalLabel {
  if (newMrr === 0n) return 'churned'
  if (newMrr > oldMrr) return 'expanded'
  if (newMrr < oldMrr) return 'contracted'
  return 'renewed'
}

/** Every renewal that came due on or before `asOf`, with its outcome (imported when recorded, else derived). */
export function renewalEvents(book: ContractBook, outcomes: RenewalOutcome[], opts: RenewalOptions): RenewalEvent[] {
  const grace = opts.graceDays ?? 30
  const early = opts.earlyDays ?? 31
  const terms = termsOf(book)
  const termsByAccount = new Map<string, Term[]>()
  for (const t of terms) pushTo(termsByAccount, t.accountId, t)
  const recorded = new Map(outcomes.map((o) => [`${o.contractId}|${o.dueDate}`, o]))
  const due = new Map<string, Term[]>()
  for (const t of terms) {
    if (t.end === null || t.end > opts.asOf || t.last.mrr === 0n) continue
    const key = `${t.accountId}|${t.end}`
    pushTo(due, key, t)
  }
  const events: RenewalEvent[] = []
  for (const group of due.values()) {
    const { accountId } = group[0]!
    const dueDate = group[0]!.end!
    const oldMrr = group.reduce((s, t) => s + t.last.mrr, 0n)
    const seatList = group.map((t) => t.last.seats).filter((s): s is number => s !== null)
    const base = {
      accountId, dueDate, oldMrr, contractIds: group.map((t) => t.contractId).sort(),
      seats: seatList.length ? seatList.reduce((a, b) => a + b, 0) : null, warnings: [] as string[],
    }
    const explicit = group.map((t) => recorded.get(`${t.contractId}|${dueDate}`))
    if (explicit.every((o): o is RenewalOutcome => o !== undefined)) {
      const newMrr = explicit.reduce((s, o, i) => s + recordedMrr(book, o, group[i]!.last), 0n)
      const outcome = explicit.length === 1 ? explicit[0]!.outcome : labelFor(oldMrr, newMrr)
      const implied = labelFor(oldMrr, newMrr)
      if (outcome !== implied && !(outcome === 'renewed' && implied !== 'churned')) {
        base.warnings.push(`recorded as ${outcome} but the amounts say ${implied}`)
      }
      events.push({ ...base, newMrr, outcome, source: 'imported' })
      continue
    }
    const successors = successorTerms(termsByAccount.get(accountId) ?? [], group, addDays(dueDate, -early), addDays(dueDate, grace))
    if (successors.length > 0) {
      const newMrr = successors.reduce((s, t) => s + t.first.mrr, 0n)
      events.push({ ...base, newMrr, outcome: labelFor(oldMrr, newMrr), source: 'derived' })
    } else if (addDays(dueDate, grace) <= opts.asOf) {
      events.push({ ...base, newMrr: 0n, outcome: 'churned', source: 'derived' })
    } else {
      events.push({ ...base, newMrr: null, outcome: 'pending', source: 'derived' })
    }
  }
  return events.sort((a, b) => (a.dueDate === b.dueDate ? (a.accountId < b.accountId ? -1 : 1) : a.dueDate < b.dueDate ? -1 : 1))
}

/** Per contract, the first term starting in [from, to] after the due terms began: what the account renewed into. */
function successorTerms(accountTerms: Term[], due: Term[], from: IsoDate, to: IsoDate): Term[] {
  const dueKeys = new Set(due.map((t) => `${t.contractId}|${t.start}`))
  const latestStart = due.reduce((m, t) => (t.start > m ? t.start : m), due[0]!.start)
  const firstByContract = new Map<string, Term>()
  for (const t of accountTerms) {
    if (dueKeys.has(`${t.contractId}|${t.start}`) || t.start <= latestStart || t.start < from || t.start > to) continue
    const seen = firstByContract.get(t.contractId)
    if (!seen || t.start < seen.start) firstByContract.set(t.contractId, t)
  }
  return [...firstByContract.values()]
}

function recordedMrr(book: ContractBook, o: RenewalOutcome, last: PricedVersion): bigint {
  if (o.outcome === 'churned' || o.newAmount === null) return 0n
  const amount = parseAmount(o.newAmount)
  if (amount === null) throw new Error(`renewal of ${o.contractId}: invalid amount ${o.newAmount}`)
  return mrrUnits(book.scale, amount, o.newBillingMonths ?? last.billingMonths)
}

export interface RenewalRates {
  /** Accounts with a term due in the period whose last renewal there is decided, and those that renewed. */
  accountsDue: number
  accountsRenewed: number
  /** Accounts whose last renewal in the period is still open (inside its grace): left out. */
  pending: number
  logoRenewalRate: number | null
  /** Per due account: old = MRR of its first term due in the period, new = MRR after its last (0 when lost). */
  oldMrr: bigint
  grossRenewedMrr: bigint
  netRenewedMrr: bigint
  grossDollarRenewalRate: number | null
  netDollarRenewalRate: number | null
}

/**
 * Renewal rates over the accounts due in [from, to] (metrics spec §5): an account counts once
 * however many of its terms end in the period (a monthly account is due up to three times a
 * quarter). Its old MRR is that of the first term due; it renewed when it still pays after the
 * last term due (a following term within the grace); its new MRR is what it pays after that last
 * due date. Gross = Σ min(new, old) / Σ old; net = Σ new / Σ old.
 */
export function renewalRates(events: RenewalEvent[], from: IsoDate, to: IsoDate): RenewalRates {
  const byAccount = new Map<string, RenewalEvent[]>()
  for (const e of events) {
    if (e.dueDate < from || e.dueDate > to) continue
    pushTo(byAccount, e.accountId, e)
  }
  let accountsDue = 0
  let accountsRenewed = 0
  let pending = 0
  let oldMrr = 0n
  let gross = 0n
  let net = 0n
  for (const list of byAccount.values()) {
    list.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))
    const last = list.at(-1)!
    if (last.outcome === 'pending') {
      pending += 1
      continue
    }
    const old = list[0]!.oldMrr
    const after = last.newMrr ?? 0n
    accountsDue += 1
    if (last.outcome !== 'churned') accountsRenewed += 1
    oldMrr += old
    net += after
    gross += after < old ? after : old
  }
  return {
    accountsDue, accountsRenewed, pending,
    logoRenewalRate: accountsDue === 0 ? null : accountsRenewed / accountsDue,
    oldMrr, grossRenewedMrr: gross, netRenewedMrr: net,
    grossDollarRenewalRate: ratio(gross, oldMrr),
    netDollarRenewalRate: ratio(net, oldMrr),
  }
}
