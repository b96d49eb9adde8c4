// Gzip size of the script-tag bundle against its budget; exits 1 above it.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUDGET = 12 * 1024
// Measured the same way (gzip -9 of the browser bundle), for scale.
const OTHERS = [
  ['posthog-js dist/array.js', 122 * 1024],
  ['Amplitude browser', 66 * 1024],
  ['Segment standalone', 31 * 1024],
]

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const kb = (n) => `${(n / 1024).toFixed(2)} KB`

let raw
try {
  raw = readFileSync(join(dist, 'tenure.js'))
} catch {
  console.error('dist/tenure.js is missing: run the build first')
  process.exit(1)
}
const gz = gzipSync(raw, { level: 9 }).length
console.log(`dist/tenure.js: ${kb(raw.length)} minified, ${kb(gz)} gzip (budget ${kb(BUDGET)}, ${((gz / BUDGET) * 100).toFixed(0)}% used)`)
for (const [name, size] of OTHERS) console.log(`  ${(size / gz).toFixed(1)}× smaller than ${name} (${kb(size)})`)
try {
  const nudges = gzipSync(readFileSync(join(dist, 'tenure-nudges.js')), { level: 9 }).length
  console.log(`dist/tenure-nudges.js (lazy, not in the budget): ${kb(nudges)} gzip`)
} catch {
  // No nudge chunk built.
}
if (gz > BUDGET) {
  console.error(`FAIL: the script-tag core is ${kb(gz - BUDGET)} over its ${kb(BUDGET)} budget`)
  process.exit(1)
}
