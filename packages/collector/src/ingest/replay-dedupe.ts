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
 * them, and they go to the quarantine as before.
 */
export async function withoutStored(batch: EncodedBatch, lookup: StoredLookup): Promise<EncodedBatch> {
  if (!batch.eventCount) return batch
  const at = (name: string) => batch.columns.indexOf(name)
  const [projectAt, accountAt, userAt, anonAt, uuidAt] = ['project_id', 'account_id', 'user_id', 'anonymous_id', 'uuid'].map(at)
  const lines = splitLines(batch.events)
  const keys: ({ project: string; key: RowKey } | null)[] = lines.map((line) => {
    try {
      const row: unknown = JSON.parse(line.toString('utf8'))
      if (!Array.isArray(row)) return null
      const text = (i: number | undefined) => (i !== undefined && i >= 0 && typeof row[i] === 'string' ? (row[i] as string) : null)
      const project = text(projectAt)
      const uuid = text(uuidAt)?.toLowerCase()
      const user = text(userAt) ?? ''
      const anon = text(anonAt) ?? ''
      if (project === null || !uuid) return null
      return { project, key: { account: text(accountAt) ?? '', userKey: user !== '' ? user : anon, uuid } }
    } catch {
      return null
    }
  })
  const byProject = new Map<string, RowKey[]>()
  for (const k of keys) {
    if (!k) continue
    const list = byProject.get(k.project)
    if (list) list.push(k.key)
    else byProject.set(k.project, [k.key])
  }
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
