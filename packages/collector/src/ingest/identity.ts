import { PerProject } from './bounded.js'
import type { AccountRow, AliasRow, EventRow } from './rows.js'

const IDENTIFY = '$identify'

/** What the memory holds per user: the account of their latest event by event time, and what was written of it. */
interface Membership {
  account: string
  /** Event time of the last row written for this account. */
  written: string
  /** Latest event time seen with this account (≥ written). */
  seen: string
}

/** Times are 'YYYY-MM-DD hh:mm:ss.sss': text order is time order, and the first 13 characters name the hour. */
const hourOf = (t: string) => t.slice(0, 13)

/**
 * Side-table rows implied by events: an anonymous id seen with a user id is that user
 * (person_aliases); a user (or anonymous visitor) seen with an account belongs to it (user_accounts).
 * Readers take, per user, the account of the row with the latest `updated_at`, which is the event's
 * time; so the table must hold a row for the user's latest event by event time, whatever order
 * batches arrive in. A bounded memory per user keeps steady traffic from rewriting the same row:
 * a later event of the same account is written at most once per hour of event time, a later
 * event of another account always, and an earlier event of another account that falls after the
 * last written row (a batch delivered late) writes the latest known membership again, so the late
 * one never wins by arrival. Losing the memory (restart, eviction) can leave at most the last hour
 * of a membership unwritten.
 */
export class IdentityTracker {
  /** Per project, keyed by the ids themselves: no key strings are built per event. */
  private readonly aliasesBy: PerProject<string>
  private readonly accountsBy: PerProject<Membership>

  /** `size`: mappings remembered per project. */
  constructor(size = 100_000) {
    this.aliasesBy = new PerProject(size)
    this.accountsBy = new PerProject(size)
  }

  rowsFor(events: EventRow[]): { aliases: AliasRow[]; accounts: AccountRow[] } {
    const aliases: AliasRow[] = []
    const accounts: AccountRow[] = []
    let prev: EventRow | undefined
    for (const e of events) {
      // Keyed like the events' user_key: an anonymous visitor of a known account belongs to it too.
      const user = e.user_id || e.anonymous_id
      if (user && e.account_id) this.membership(e.project_id, user, e.account_id, e.timestamp, accounts)
      // A browser's batch usually carries one identity throughout: look each alias up once.
      const same = prev !== undefined && e.project_id === prev.project_id && e.anonymous_id === prev.anonymous_id && e.user_id === prev.user_id
      prev = e
      if (same && e.event !== IDENTIFY) continue
      if (e.user_id && e.anonymous_id && e.anonymous_id !== e.user_id) {
        const known = this.aliasesBy.of(e.project_id)
        if (e.event === IDENTIFY || known.get(e.anonymous_id) !== e.user_id) {
          known.set(e.anonymous_id, e.user_id)
          aliases.push({ project_id: e.project_id, anonymous_id: e.anonymous_id, user_id: e.user_id, updated_at: e.timestamp })
        }
      }
    }
    return { aliases, accounts }
  }

  private membership(project: string, user: string, account: string, t: string, out: AccountRow[]): void {
    const known = this.accountsBy.of(project)
    const m = known.get(user)
    const write = (acc: string, at: string) => out.push({ project_id: project, user_id: user, account_id: acc, updated_at: at })
    if (!m || (account !== m.account && t > m.seen)) {
      // First sight, or a later event in another account: that account is now the latest.
      write(account, t)
      known.set(user, { account, written: t, seen: t })
    } else if (account === m.account) {
      if (t > m.seen) m.seen = t
      if (hourOf(t) > hourOf(m.written)) {
        write(account, t)
        m.written = t
      }
    } else if (t >= m.written && m.seen > m.written) {
      // An earlier event of another account, delivered late, falls after the last row written:
      // write the latest membership again so the store's latest row stays the latest by event time.
      write(m.account, m.seen)
      m.written = m.seen
    }
  }

  /** Forget mappings of a batch that was not acknowledged, so its retry writes them. */
  forget(events: EventRow[]): void {
    for (const e of events) {
      this.aliasesBy.peek(e.project_id)?.delete(e.anonymous_id)
      this.accountsBy.peek(e.project_id)?.delete(e.user_id || e.anonymous_id)
    }
  }
}
