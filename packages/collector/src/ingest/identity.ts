import { PerProject } from './bounded.js'
import type { AccountRow, AliasRow, EventRow } from './rows.js'

const IDENTIFY = '$identify'

/**
 * Side-table rows implied by events: an anonymous id seen with a user id is that user
 * (person_aliases); a user (or anonymous visitor) seen with an account belongs to it (user_accounts). A bounded memory of
 * the last mapping written per key keeps steady traffic from rewriting the same row; a change
 * (a user moving account) is always written. The tables keep the mapping with the latest time.
 */
export class IdentityTracker {
  /** Per project, keyed by the ids themselves: no key strings are built per event. */
  private readonly aliasesBy: PerProject<string>
  private readonly accountsBy: PerProject<string>

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
      // A browser's batch usually carries one identity throughout: look each one up once.
      const same = prev !== undefined && e.project_id === prev.project_id && e.anonymous_id === prev.anonymous_id && e.user_id === prev.user_id && e.account_id === prev.account_id
      prev = e
      if (same && e.event !== IDENTIFY) continue
      if (e.user_id && e.anonymous_id && e.anonymous_id !== e.user_id) {
        const known = this.aliasesBy.of(e.project_id)
        if (e.event === IDENTIFY || known.get(e.anonymous_id) !== e.user_id) {
          known.set(e.anonymous_id, e.user_id)
          aliases.push({ project_id: e.project_id, anonymous_id: e.anonymous_id, user_id: e.user_id, updated_at: e.timestamp })
        }
      }
      // Keyed like the events' user_key: an anonymous visitor of a known account belongs to it too.
      const user = e.user_id || e.anonymous_id
      if (user && e.account_id) {
        const known = this.accountsBy.of(e.project_id)
        if (known.get(user) !== e.account_id) {
          known.set(user, e.account_id)
          accounts.push({ project_id: e.project_id, user_id: user, account_id: e.account_id, updated_at: e.timestamp })
        }
      }
    }
    return { aliases, accounts }
  }

  /** Forget mappings of a batch that was not acknowledged, so its retry writes them. */
  forget(events: EventRow[]): void {
    for (const e of events) {
      this.aliasesBy.peek(e.project_id)?.delete(e.anonymous_id)
      this.accountsBy.peek(e.project_id)?.delete(e.user_id || e.anonymous_id)
    }
  }
}
