import { PerProject } from './bounded.js'

/**
 * Recently acknowledged event uuids per project, bounded, to drop a retried batch before it
 * costs a spool write. Only an optimisation: after a restart or eviction, copies still collapse
 * in the events table.
 */
export class RecentIds {
  private readonly sets: PerProject<true>

  constructor(perProject: number) {
    this.sets = new PerProject(perProject)
  }

  /** Remembers the id; false when it was already there. */
  add(project: string, id: string): boolean {
    const set = this.sets.of(project)
    if (set.has(id)) return false
    set.set(id, true)
    return true
  }

  /** Forgets ids whose batch was not acknowledged after all, so a retry is not mistaken for a copy. */
  remove(project: string, ids: Iterable<string>): void {
    const set = this.sets.peek(project)
    if (!set) return
    for (const id of ids) set.delete(id)
  }
}
