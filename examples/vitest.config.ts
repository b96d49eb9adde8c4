import { storeTests } from '../vitest.shared.js'

export default storeTests(['simulate/**/*.test.ts', 'test/**/*.test.ts'])
