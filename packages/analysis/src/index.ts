export * from './events.js'
export * from './store/index.js'
export * from './stats/index.js'
export { importAccountData, type ImportInput, type ImportOutcome } from './accounts/import/index.js'
