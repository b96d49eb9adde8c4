import { parseAmount } from './money.js'
import type { Account } from './types.js'

/** CAC per account in exact amount units, for the accounts that have one. */
export function economicsCac(accounts: Account[]): Map<string, bigint> {
  const out = new Map<string, bigint>()
  for (const a of accounts) {
    const cac = a.cac === null ? null : parseAmount(a.cac)
    if (cac !== null) out.set(a.accountId, cac)
  }
  return out
}
