import { onCluster, shardedTableNames, type DdlContext } from '../ddl.js'
import { ROLLUP_COLUMNS as COLUMNS_031, ROLLUP_KEY as KEY_031, rollupDdl } from './031_activity_rollup.js'

/**
 * The activity rollup keeps each row's session id, so the reports that count sessions (the
 * high-retention report's covariates) read them from the rollup instead of the raw events. A
 * quarter hour of one person seldom spans two sessions, so the rollup hardly grows.
 *
 * The rollup is built again: the table and its view are dropped and created with the new key, and
 * the backfill plan starts over (`rollup/backfill.ts` writes every stored event again, month by
 * month, while reports say the rollup is incomplete). Run with the collectors stopped, as the other
 * migrations of the rollup: the view is away for a moment.
 */
export const ROLLUP_KEY = `${KEY_031}, session_id`

/** The rollup's key columns computed from an events row (the view's and the backfill's SELECT). */
export const ROLLUP_COLUMNS = `${COLUMNS_031}, session_id`

export function up(ctx: DdlContext): string[] {
  return [
    `DROP VIEW IF EXISTS activity_rollup_mv${onCluster(ctx)}`,
    ...shardedTableNames(ctx, 'activity_rollup').reverse().map((t) => `DROP TABLE IF EXISTS ${t}${onCluster(ctx)}`),
    ...rollupDdl(ctx, { key: ROLLUP_KEY, columns: ROLLUP_COLUMNS, extraColumns: '\n  session_id String,' }),
    `TRUNCATE TABLE IF EXISTS activity_rollup_backfill${onCluster(ctx)}`,
    `INSERT INTO activity_rollup_backfill SELECT DISTINCT project_id, 0, now64(3), 'pending', now64(3) FROM events`,
  ]
}
