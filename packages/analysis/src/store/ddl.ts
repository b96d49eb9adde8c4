/**
 * DDL that reads the same on one embedded engine and on a cluster: with a cluster name,
 * tables become Replicated*, DDL runs ON CLUSTER, and fact tables get a Distributed front.
 */
export interface DdlContext {
  cluster?: string
}

export type MergeTreeKind = 'MergeTree' | 'ReplacingMergeTree' | 'SummingMergeTree' | 'AggregatingMergeTree'

export function onCluster(ctx: DdlContext): string {
  return ctx.cluster ? ` ON CLUSTER ${quoteIdent(ctx.cluster)}` : ''
}

/** Engine clause; `args` are the engine's own arguments (e.g. the version column of a ReplacingMergeTree). */
export function engine(ctx: DdlContext, kind: MergeTreeKind, table: string, args: string[] = []): string {
  if (!ctx.cluster) return `${kind}(${args.join(', ')})`
  const replicated = [`'/clickhouse/tables/{shard}/{database}/${table}'`, `'{replica}'`, ...args]
  return `Replicated${kind}(${replicated.join(', ')})`
}

/** The table that holds the rows of a sharded table: `<name>_local` on a cluster, `<name>` itself on one engine. */
export function physicalTable(ctx: DdlContext, name: string): string {
  return ctx.cluster ? `${name}_local` : name
}

/** A sharded table's names that take ALTERs of its columns: the physical table, and on a cluster also the Distributed front. */
export function shardedTableNames(ctx: DdlContext, name: string): string[] {
  return ctx.cluster ? [physicalTable(ctx, name), name] : [name]
}

/**
 * A table that is sharded on a cluster: the physical table is `<name>_local` there and `<name>` is a
 * Distributed table over it; on a single engine `<name>` is the physical table.
 */
export function shardedTable(
  ctx: DdlContext,
  name: string,
  body: (physicalName: string) => string,
  shardingKey: string,
): string[] {
  if (!ctx.cluster) return [body(name)]
  const local = physicalTable(ctx, name)
  return [
    body(local),
    `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} AS ${local} ` +
      `ENGINE = Distributed(${quoteIdent(ctx.cluster)}, currentDatabase(), ${local}, ${shardingKey})`,
  ]
}

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid identifier: ${name}`)
  return name
}
