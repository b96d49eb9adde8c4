import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Files under `dir` whose bytes contain any of `needles` (plain UTF-8), with the needle found. */
export function filesContaining(dir: string, needles: string[]): { file: string; needle: string }[] {
  const hits: { file: string; needle: string }[] = []
  const walk = (d: string) => {
    let names: string[]
    try {
      names = readdirSync(d)
    } catch {
      return
    }
    for (const f of names) {
      const p = join(d, f)
      let st
      try {
        st = statSync(p)
      } catch {
        continue
      }
      if (st.isDirectory()) walk(p)
      else {
        const bytes = readFileSync(p)
        for (const n of needles) if (bytes.includes(n)) hits.push({ file: p, needle: n })
      }
    }
  }
  walk(dir)
  return hits
}
