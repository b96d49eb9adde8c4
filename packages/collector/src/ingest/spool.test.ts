import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Spool, SpoolFullError } from './spool.js'

const dirs: string[] = []
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'tenure-spool-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('Spool', () => {
  it('group-commits concurrent appends, deletes a segment once every record is released', async () => {
    const dir = fresh()
    const s = new Spool({ dir, maxBytes: 1e6, segmentBytes: 1e6 })
    expect(await s.open()).toEqual([])
    const segs = await Promise.all(Array.from({ length: 10 }, (_, i) => s.append({ i })))
    expect(new Set(segs)).toEqual(new Set([1]))
    await s.rotate()
    expect(s.activeId).toBe(2)
    expect((await s.read(1)).records).toHaveLength(10)
    await s.release(1, 9)
    expect(readdirSync(dir)).toContain('seg-0000000001.log')
    await s.release(1, 1)
    expect(readdirSync(dir)).not.toContain('seg-0000000001.log')
    await s.close()
  })

  it('refuses appends past the byte bound', async () => {
    const s = new Spool({ dir: fresh(), maxBytes: 100, segmentBytes: 1e6 })
    await s.open()
    await s.append({ pad: 'x'.repeat(50) })
    await expect(s.append({ pad: 'x'.repeat(50) })).rejects.toBeInstanceOf(SpoolFullError)
    await s.close()
  })

  it('hands back segments of an earlier run, skipping a torn last line', async () => {
    const dir = fresh()
    const a = new Spool({ dir, maxBytes: 1e6, segmentBytes: 1e6 })
    await a.open()
    await a.append({ n: 1 })
    await a.append({ n: 2 })
    // A crash mid-write leaves an unterminated line behind the acknowledged records.
    appendFileSync(join(dir, 'seg-0000000001.log'), '{"n":3,"pa')
    const b = new Spool({ dir, maxBytes: 1e6, segmentBytes: 1e6 })
    expect(await b.open()).toEqual([1])
    expect(await b.read(1)).toEqual({ records: [{ n: 1 }, { n: 2 }], bad: 0 })
    await b.remove(1)
    expect(readdirSync(dir)).toEqual(['seg-0000000002.log'])
    await b.close()
    expect(readdirSync(dir)).toEqual([])
  })
})
