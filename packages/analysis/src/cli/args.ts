import { parseArgs } from 'node:util'
import { CliError } from './context.js'

export type Flags = Record<string, string | boolean | string[] | undefined>

/** Parses `--flag value` options (all strings unless listed as boolean or repeatable). */
export function parseFlags(
  argv: string[],
  names: readonly string[],
  opts: { booleans?: readonly string[]; multiple?: readonly string[] } = {},
): { flags: Flags; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {}
  for (const n of names) options[n] = { type: 'string' }
  for (const n of opts.booleans ?? []) options[n] = { type: 'boolean' }
  for (const n of opts.multiple ?? []) options[n] = { type: 'string', multiple: true }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
    return { flags: values as Flags, positionals }
  } catch (e) {
    throw new CliError((e as Error).message, 2)
  }
}

/** `--start-feature` → `startFeature`; only flags that were given. */
export function camelParams(flags: Flags, rename: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(flags)) {
    if (typeof v === 'string') out[rename[k] ?? k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = v
    else if (v === true) out[rename[k] ?? k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = 'true'
  }
  return out
}
