export * from './events.js'
export * from './store/index.js'
