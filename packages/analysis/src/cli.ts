#!/usr/bin/env tsx
/** `tenure report <retention|feature-retention|high-retention|aha|features|…>`: see `tenure report --help`. */
import { registerAllCommands } from './cli/commands.js'
import { main } from './cli/main.js'

registerAllCommands()
process.exitCode = await main(process.argv.slice(2), process.env, {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
})
