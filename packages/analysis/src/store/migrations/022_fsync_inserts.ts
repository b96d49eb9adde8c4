import { onCluster, physicalTable, type DdlContext } from '../ddl.js'

/**
 * Tables the collector writes from its spool are flushed to disk by each insert. The collector
 * deletes spool records once their insert returns; without the fsync the rows would then sit in
 * the page cache only, and a power loss in the next seconds would lose acknowledged events.
 * (Merged parts need no fsync: the parts they replace stay on disk for `old_parts_lifetime`.)
 */
export function up(ctx: DdlContext): string[] {
  return [physicalTable(ctx, 'events'), 'person_aliases', 'user_accounts'].map((t) => `ALTER TABLE ${t}${onCluster(ctx)} MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1`)
}
