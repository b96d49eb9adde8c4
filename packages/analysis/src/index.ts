export * from './events.js'
export * from './store/index.js'
export * from './stats/index.js'
