import { storeTests } from '../../vitest.shared.js'

export default storeTests(['src/**/*.test.ts', 'test/**/*.test.ts'])
