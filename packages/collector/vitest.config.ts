import { storeTests } from '../../vitest.shared.mjs'

export default storeTests(['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'])
