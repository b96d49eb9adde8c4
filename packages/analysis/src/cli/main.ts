import { migrate, openStore, type Store } from '../store/index.js'
import { backfillActivityRollup } from '../rollup/backfill.js'
import { CliError, directContext, httpApi, httpContext, type CliContext } from './context.js'
import type { OutputFormat } from './format.js'
import { plainParamError } from './messages.js'
import { reportCommand, reportCommands } from './registry.js'

const GLOBAL = ['--url', '--secret', '--data-dir', '--project', '--format']

export interface Io {
  out(text: string): void
  err(text: string): void
}

function usage(): string {
  const lines = [
    'usage: tenure report <command> [options] [--format table|csv|json]',
    '       against a running collector: --url URL --secret KEY (or TENURE_URL, TENURE_SECRET_KEY)',
    '       or a data folder no collector holds: --data-dir DIR --project ID',
    '       any report, for a segment only: --segment ID (saved) or --segment-def JSON (inline)',
    '',
    'commands:',
    ...reportCommands().map((c) => `  ${c.name.padEnd(18)} ${c.summary}`),
    '',
    'tenure report <command> --help shows its options.',
  ]
  return lines.join('\n')
}

/** Splits the global options (anywhere on the line) from the command's own. */
function splitGlobals(argv: string[]): { globals: Record<string, string>; rest: string[] } {
  const globals: Record<string, string> = {}
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const eq = a.indexOf('=')
    const name = eq > 0 ? a.slice(0, eq) : a
    if (GLOBAL.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i]
      if (value === undefined) throw new CliError(`${name} needs a value`, 2)
      globals[name.slice(2)] = value
    } else rest.push(a)
  }
  return { globals, rest }
}

/** `tenure report …`; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let store: Store | undefined
  let commandName: string | undefined
  try {
    if (argv[0] !== 'report') throw new CliError(usage(), 2)
    const { globals, rest } = splitGlobals(argv.slice(1))
    const [name, ...args] = rest
    if (!name || name === '--help' || name === 'help') {
      io.out(usage())
      return name ? 0 : 2
    }
    const command = reportCommand(name)
    commandName = command?.name
    if (!command) throw new CliError(`unknown report "${name}"\n\n${usage()}`, 2)
    if (args.includes('--help')) {
      io.out(`tenure report ${command.usage}`)
      return 0
    }
    const format = (globals.format ?? 'table') as OutputFormat
    if (!['table', 'csv', 'json'].includes(format)) throw new CliError('--format is table, csv or json', 2)
    let ctx: CliContext
    const url = globals.url ?? env.TENURE_URL
    if (globals['data-dir'] !== undefined) {
      const project = globals.project ?? env.TENURE_PROJECT
      if (!project) throw new CliError('--data-dir needs --project (or TENURE_PROJECT)', 2)
      store = openStore({ kind: 'embedded', path: globals['data-dir'] })
      await migrate(store)
      // The CLI owns the folder while it runs: events stored before the activity rollup are added first.
      await backfillActivityRollup(store)
      ctx = directContext(store.client, project, format)
    } else if (url) {
      const secret = globals.secret ?? env.TENURE_SECRET_KEY
      if (!secret) throw new CliError('--secret (or TENURE_SECRET_KEY) is required with --url', 2)
      ctx = httpContext(httpApi(url, secret), format)
    } else {
      throw new CliError('say where the data is: --url and --secret of a running collector, or --data-dir and --project', 2)
    }
    io.out(await command.run(args, ctx))
    return 0
  } catch (e) {
    const err = e as Error & { exitCode?: number; code?: string; field?: string | null }
    if (e instanceof CliError) {
      io.err(e.message)
      return e.exitCode
    }
    if (err.name === 'AnalysisError' || err.name === 'ReportParamError' || err.name === 'SelectorError') {
      io.err(plainParamError(err.message, err.field, commandName))
      return 2
    }
    io.err(`error: ${err.message}`)
    return 1
  } finally {
    await store?.close()
  }
}
