// Interleaved timing of several SQL files (PF params): R rounds of A,B,C…; prints median and min per file
import { openStore } from '/work/main/packages/analysis/src/store/index.ts'
import { readFileSync } from 'node:fs'
const store = openStore({ kind: 'embedded', path: process.env.DATA! })
const params = JSON.parse(readFileSync(process.env.PF!, 'utf8'))
const files = process.argv.slice(2)
const sqls = files.map((f) => readFileSync(f, 'utf8'))
const ts: number[][] = files.map(() => [])
for (let r = 0; r < Number(process.env.R ?? 6); r++) {
  for (let i = 0; i < files.length; i++) {
    const t = performance.now()
    await (await store.client.query({ query: sqls[i]!, format: 'JSONEachRow', query_params: params })).json()
    ts[i]!.push(performance.now() - t)
  }
}
files.forEach((f, i) => { const s = [...ts[i]!].sort((a, b) => a - b); console.log(f.padEnd(28), 'med', s[s.length >> 1]!.toFixed(0), 'min', s[0]!.toFixed(0)) })
await store.client.close()
