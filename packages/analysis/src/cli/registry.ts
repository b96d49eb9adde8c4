import type { CliContext } from './context.js'

/**
 * A `tenure report <name> …` subcommand. Commands live in the module of what they report on and
 * register here; `run` gets the arguments after the name and returns the text to print.
 */
export interface ReportCommand {
  name: string
  summary: string
  usage: string
  run(argv: string[], ctx: CliContext): Promise<string>
}

const commands = new Map<string, ReportCommand>()

export function registerReportCommand(command: ReportCommand): void {
  if (commands.has(command.name)) throw new Error(`report command "${command.name}" registered twice`)
  commands.set(command.name, command)
}

export function reportCommand(name: string): ReportCommand | undefined {
  return commands.get(name)
}

export function reportCommands(): ReportCommand[] {
  return [...commands.values()]
}
