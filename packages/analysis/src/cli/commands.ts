import { ACCOUNTS_COMMANDS } from '../accounts/cli-commands.js'
import { FEATURES_COMMAND } from './features-command.js'
import { registerReportCommand } from './registry.js'
import { RETENTION_COMMANDS } from './report-commands.js'

/** Every `tenure report` subcommand, one line per module that provides some. */
export function registerAllCommands(): void {
  for (const c of RETENTION_COMMANDS) registerReportCommand(c)
  registerReportCommand(FEATURES_COMMAND)
  for (const c of ACCOUNTS_COMMANDS) registerReportCommand(c)
}
