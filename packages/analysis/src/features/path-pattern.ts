/**
 * URL path patterns for features: `*` matches within one path segment, `**` across segments,
 * `:name` one whole segment; everything else is literal. The result is an anchored RE2 regular
 * expression passed to ClickHouse as a query parameter, never spliced into SQL.
 */
export class PathPatternError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PathPatternError'
  }
}

export function parsePathPattern(pattern: string): string {
  if (!pattern.startsWith('/')) throw new PathPatternError('a path pattern starts with "/" (the host and query are not matched)')
  if (/[?#]/.test(pattern)) throw new PathPatternError('a path pattern holds no query string or fragment')
  let re = '^'
  for (let i = 0; i < pattern.length; ) {
    if (pattern.startsWith('**', i)) {
      re += '.*'
      i += 2
    } else if (pattern[i] === '*') {
      re += '[^/]*'
      i++
    } else if (pattern[i] === ':' && pattern[i - 1] === '/') {
      const m = /^:[A-Za-z_][A-Za-z0-9_]*/.exec(pattern.slice(i))
      if (!m) throw new PathPatternError(`expected a parameter name after ":" at position ${i}`)
      re += '[^/]+'
      i += m[0].length
    } else {
      re += escapeRe(pattern[i]!)
      i++
    }
  }
  // A trailing slash is optional, as apps link both ways.
  if (re.endsWith('/') && re.length > 2) re = re.slice(0, -1)
  return `${re}/?$`
}

function escapeRe(c: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(c) ? `\\${c}` : c
}
