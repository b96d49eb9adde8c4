import type { EncodedBatch } from './encoded.js'
import { splitLines } from './isolate.js'

/** The events sort key of a row (project, account, user key, uuid): how the store finds a row cheaply. */
export interface RowKey {
  account: string
  userKey: string
  uuid: string
}

/** Of the given rows of one project, the uuids the store already holds. */
export type StoredLookup = (project: string, keys: RowKey[]) => Promise<Set<string>>

const EMPTY = Buffer.alloc(0)

/**
 * A batch without the rows the store already holds and without repeats inside it. A spool
 * segment is replayed whole after a crash or an outage, including rows a memory insert stored
 * before the crash cut their release short; a client retries a batch a collector stored before it
 * restarted. The events table would collapse such copies, but the activity rollup kept at ingest
 * counts every row it receives. Rows whose key cannot be read are kept: the insert then refuses
 * them, and they go to the quarantine as before. Lines outside the batch's `checkLines` are kept
 * without being read.
 */
export async function withoutStored(batch: EncodedBatch, lookup: StoredLookup): Promise<EncodedBatch> {
  if (!batch.eventCount) return batch
  const lines = splitLines(batch.events)
  const checked = checkedLines(lines.length, batch.checkLines)
  const readKey = keyReader(batch.columns)
  const keys = lines.map((line, i) => (checked(i) ? readKey(line.toString('utf8')) : null))
  const byProject = new Map<string, RowKey[]>()
  for (const k of keys) {
    if (!k) continue
    const list = byProject.get(k.project)
    if (list) list.push(k.key)
    else byProject.set(k.project, [k.key])
  }
  if (!byProject.size) return batch
  const stored = new Map<string, Set<string>>()
  for (const [project, list] of byProject) stored.set(project, await lookup(project, list))
  const seen = new Set<string>()
  const kept: Buffer[] = []
  lines.forEach((line, i) => {
    const k = keys[i]
    if (!k) {
      kept.push(line)
      return
    }
    const id = `${k.project}\u0000${k.key.account}\u0000${k.key.userKey}\u0000${k.key.uuid}`
    if (seen.has(id) || stored.get(k.project)!.has(k.key.uuid)) return
    seen.add(id)
    kept.push(line)
  })
  if (kept.length === lines.length) return batch
  return { ...batch, events: kept.length ? Buffer.concat(kept) : EMPTY, eventCount: kept.length }
}

/** Whether line `i` is to be checked: every line, or those of the ranges. */
function checkedLines(count: number, ranges: [number, number][] | undefined): (i: number) => boolean {
  if (!ranges) return () => true
  const flags = new Uint8Array(count)
  for (const [from, to] of ranges) flags.fill(1, from, Math.min(to, count))
  return (i) => flags[i] === 1
}

/** A JSON string literal's text: most have no escapes, and those are their text between the quotes. */
const unquote = (literal: string): string => (literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1))

/** One JSON string literal, escapes included. */
const STRING = '"(?:[^"\\\\]|\\\\.)*"'

/**
 * Reads a row's key (its project, account, user key and uuid) from its line, or null when it has
 * none. A row's key columns come first and are strings, so they are read off the start of the line
 * by a pattern: parsing the whole row, whose elements and properties are most of its bytes, would
 * hold up requests for as long as a large insert's rows take. A line the pattern does not fit is
 * parsed whole.
 */
export function keyReader(columns: readonly string[]): (line: string) => { project: string; key: RowKey } | null {
  const at = ['project_id', 'account_id', 'user_id', 'anonymous_id', 'uuid'].map((name) => columns.indexOf(name))
  const [projectAt, accountAt, userAt, anonAt, uuidAt] = at as [number, number, number, number, number]
  const lead = at.every((i) => i >= 0) ? Math.max(...at) + 1 : 0
  const prefix = lead ? new RegExp(`^\\[${Array.from({ length: lead }, () => `(${STRING})`).join(',')}[,\\]]`) : null
  const keyOf = (value: (i: number) => unknown) => {
    const text = (i: number) => {
      const v = i >= 0 ? value(i) : undefined
      return typeof v === 'string' ? v : null
    }
    const project = text(projectAt)
    const uuid = text(uuidAt)?.toLowerCase()
    const user = text(userAt) ?? ''
    const anon = text(anonAt) ?? ''
    if (project === null || !uuid) return null
    return { project, key: { account: text(accountAt) ?? '', userKey: user !== '' ? user : anon, uuid } }
  }
  return (line) => {
    try {
      const m = prefix?.exec(line)
      if (m) return keyOf((i) => unquote(m[i + 1]!))
      const row: unknown = JSON.parse(line)
      return Array.isArray(row) ? keyOf((i) => row[i]) : null
    } catch {
      return null
    }
  }
}
