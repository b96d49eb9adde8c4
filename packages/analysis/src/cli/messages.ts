/**
 * Report parameters are checked by zod schemas named in camelCase; on the command line they are
 * kebab-case flags. This turns a schema's refusal into a sentence about the flag to fix.
 */
export function flagOf(field: string): string {
  return `--${field.split('.')[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

export function plainParamError(message: string, field: string | null | undefined, command?: string): string {
  const help = command ? ` (tenure report ${command} --help lists its options)` : ''
  if (!field) return `${message.replace(/^Invalid input: /, '')}${help}`
  const flag = flagOf(field)
  const detail = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message
  let m: RegExpExecArray | null
  if (/received undefined/.test(detail)) return `${flag} is required${help}`
  if (/expected number, received NaN|expected number, received string/.test(detail)) return `${flag} must be a number`
  if (/expected int/.test(detail)) return `${flag} must be a whole number`
  if ((m = /Too small: expected \w+ to (?:be|have) (>=?)(\S+)/.exec(detail))) return `${flag} must be ${m[1] === '>' ? 'more than' : 'at least'} ${m[2]}`
  if ((m = /Too big: expected \w+ to (?:be|have) (<=?)(\S+)/.exec(detail))) return `${flag} must be ${m[1] === '<' ? 'less than' : 'at most'} ${m[2]}`
  if ((m = /Invalid option: expected one of (.+)$/.exec(detail))) return `${flag} must be one of ${m[1]!.replaceAll('"', '').replaceAll('|', ', ')}`
  return `${flag}: ${detail.replace(/^Invalid input: /, '')}`
}
