import { engine, onCluster, type DdlContext } from '../ddl.js'

/**
 * Imported account data: accounts, dated contract versions, renewal outcomes, and the imports
 * that wrote them.
 *
 * All-or-nothing imports: every row carries the `import_seq` of the import that wrote it, and
 * readers only see rows whose import is `committed` in `account_imports`, taking the latest such
 * import per natural key. An import writes its rows first and its `committed` status row last (one
 * single-row insert), so an import that fails midway is never visible. The import sequence is in
 * the sort key, so background merges never fold a committed row into an uncommitted one; the
 * ReplacingMergeTree only folds copies of the same row from a retried insert.
 *
 * Small tables, replicated whole on a cluster (not sharded) so joins with events stay local.
 */
export function up(ctx: DdlContext): string[] {
  const table = (name: string, columns: string, key: string, version = 'import_seq') =>
    `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
${columns}
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', name, [version])}
ORDER BY (${key})`
  return [
    table(
      'account_imports',
      `  project_id LowCardinality(String),
  import_id String,
  seq UInt64,
  source LowCardinality(String),
  kind LowCardinality(String),
  content_hash String,
  status LowCardinality(String),
  rows UInt32,
  message String,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC')`,
      'project_id, import_id',
      'updated_at',
    ),
    table(
      'accounts',
      `  project_id LowCardinality(String),
  account_id String,
  import_seq UInt64,
  name String,
  plan String,
  seats Nullable(UInt32),
  cac Nullable(Decimal(18, 4))`,
      'project_id, account_id, import_seq',
    ),
    table(
      'contract_versions',
      `  project_id LowCardinality(String),
  contract_id String,
  effective_from Date,
  import_seq UInt64,
  account_id String,
  term_start Date,
  term_end Nullable(Date),
  amount Decimal(18, 4),
  currency LowCardinality(String),
  billing_months UInt16,
  seats Nullable(UInt32)`,
      'project_id, contract_id, effective_from, import_seq',
    ),
    table(
      'renewal_outcomes',
      `  project_id LowCardinality(String),
  contract_id String,
  due_date Date,
  import_seq UInt64,
  account_id String,
  outcome LowCardinality(String),
  new_amount Nullable(Decimal(18, 4)),
  new_billing_months Nullable(UInt16),
  new_seats Nullable(UInt32)`,
      'project_id, contract_id, due_date, import_seq',
    ),
  ]
}
