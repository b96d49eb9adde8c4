import { storeTests } from '../vitest.shared.mjs'

export default storeTests(['simulate/**/*.test.ts', 'test/**/*.test.ts'])
