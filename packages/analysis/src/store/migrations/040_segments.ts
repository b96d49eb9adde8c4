import { engine, onCluster, type DdlContext } from '../ddl.js'

/**
 * Saved segments. Every change writes a new version (nothing folded), so a segment's history stays
 * readable; the current state is the highest version and a deletion is a version with
 * `deleted = 1`. `definition` holds the validated definition as JSON. Properties the definitions
 * read are not copied here: person and account traits live in the identify and group events
 * (with their times) and in the account imports, first-touch values in the first page view.
 * A small table, replicated whole on a cluster.
 */
export function up(ctx: DdlContext): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS segment_definitions${onCluster(ctx)} (
  project_id LowCardinality(String),
  segment_id String,
  version UInt32,
  name String,
  description String,
  definition String,
  deleted UInt8,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'segment_definitions')}
ORDER BY (project_id, segment_id, version)`,
  ]
}
