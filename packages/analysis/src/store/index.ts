export { openStore, storeConfigFromEnv, type BytesInsert, type Store, type StoreConfig } from './client.js'
export { migrate, loadMigrations, migrationsTableDdl, type Migration } from './migrate.js'
export { engine, onCluster, physicalTable, shardedTable, shardedTableNames, quoteIdent, type DdlContext } from './ddl.js'
