import { describe, expect, it } from 'vitest'
import { spoolLine } from './encoded.js'
import { EVENT_COLUMNS } from './rows.js'
import { spoolRecordProject } from './spool-project.js'

const row = (project: string) => JSON.stringify(EVENT_COLUMNS.map((c) => (c === 'project_id' ? project : c === 'elements' ? [] : '')))

describe('project of a spool record', () => {
  it('reads the project a record names', () => {
    expect(spoolRecordProject(JSON.parse(spoolLine([row('p_rows')], [], [], 'p_named')))).toBe('p_named')
  })

  it('takes the first row of a record written before records named their project', () => {
    const old = JSON.parse(spoolLine([row('p_old'), row('p_old')], [], []))
    expect(old.project).toBeUndefined()
    expect(spoolRecordProject(old)).toBe('p_old')
    // Columns in another order (a record from before a schema change) are found by name.
    expect(spoolRecordProject({ columns: ['uuid', 'project_id'], events: [['u1', 'p_moved']], aliases: [], accounts: [] })).toBe('p_moved')
  })

  it('gives undefined when the record cannot say', () => {
    expect(spoolRecordProject(JSON.parse(spoolLine([], [], [])))).toBeUndefined()
    expect(spoolRecordProject({ columns: ['uuid'], events: [['u1']] })).toBeUndefined()
    expect(spoolRecordProject(null)).toBeUndefined()
    expect(spoolRecordProject('text')).toBeUndefined()
  })
})
