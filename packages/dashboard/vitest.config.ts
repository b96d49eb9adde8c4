import { storeTests } from '../../vitest.shared.mjs'

export default storeTests(['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'])
