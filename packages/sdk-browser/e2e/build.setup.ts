import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** End-to-end tests load the built script: build it fresh once before they run. */
export default function setup(): void {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
  execFileSync(process.execPath, [join(pkg, 'node_modules/rollup/dist/bin/rollup'), '-c', 'rollup.config.mjs', '--silent'], {
    cwd: pkg,
    stdio: 'inherit',
  })
}
