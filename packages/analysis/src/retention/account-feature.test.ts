import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import { openTestStore } from '../testing/store.js'
import { accountFeatureReport } from './account-feature.js'
import { insertAliases, insertFixtureEvents, insertMemberships, type FixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>

const report = (user: { user?: string; anon?: string }, account: string, day: string): FixtureEvent => ({
  ...user,
  account,
  at: `${day}T10:00:00Z`,
  path: '/reports/weekly',
})
const visit = (user: string, account: string, day: string): FixtureEvent => ({ user, account, at: `${day}T09:00:00Z`, path: '/home' })

beforeAll(async () => {
  t = await openTestStore()
  const c = t.store.client
  await createFeature(c, 'acc', { id: 'reports', name: 'Reports', rules: [{ type: 'url', pattern: '/reports/*' }] })
  await insertFixtureEvents(c, 'acc', [
    // X: x1 uses reports on 3 and 10 Feb (account day 7), x3 on 5 Feb, x2 only visits.
    report({ user: 'x1' }, 'X', '2024-02-03'),
    report({ user: 'x1' }, 'X', '2024-02-10'),
    visit('x2', 'X', '2024-02-04'),
    report({ user: 'x3' }, 'X', '2024-02-05'),
    // Y: two people who never use reports; their events carry no account (membership table).
    visit('y1', '', '2024-02-02'),
    visit('y2', '', '2024-02-20'),
    // Z: first used reports in January, again in the window: adopting, not new.
    report({ user: 'z1' }, 'Z', '2024-01-15'),
    report({ user: 'z1' }, 'Z', '2024-02-10'),
    // W: its one person used reports anonymously, then was identified and grouped.
    report({ anon: 'anon-w' }, '', '2024-02-01'),
  ])
  await insertMemberships(c, 'acc', { y1: 'Y', y2: 'Y', w1: 'W' })
  await insertAliases(c, 'acc', { 'anon-w': 'w1' })
})
afterAll(async () => {
  await t?.cleanup()
})

describe('accountFeatureReport', () => {
  it('measures adoption and retention per account', async () => {
    const r = await accountFeatureReport(t.store.client, {
      project: 'acc', from: '2024-02-01', to: '2024-02-29', days: [7], asOf: '2024-04-01', detail: true,
    })
    const f = r.features[0]!
    expect(f).toMatchObject({ featureId: 'reports', activeAccounts: 4, adoptingAccounts: 3, newAccounts: 2 })
    expect(f.adoption).toMatchObject({ k: 3, n: 4, rate: 0.75 })
    expect(f.cells[0]).toMatchObject({ n: 7, eligible: 2, retained: 1, rate: 0.5 })
    expect(r.accounts).toEqual([
      { account: 'W', activeUsers: 1, features: [{ featureId: 'reports', users: 1, share: 1 }] },
      { account: 'X', activeUsers: 3, features: [{ featureId: 'reports', users: 2, share: 2 / 3 }] },
      { account: 'Y', activeUsers: 2, features: [] },
      { account: 'Z', activeUsers: 1, features: [{ featureId: 'reports', users: 1, share: 1 }] },
    ])
    const any = await accountFeatureReport(t.store.client, {
      project: 'acc', from: '2024-02-01', to: '2024-02-29', days: [7], asOf: '2024-04-01', return: 'any',
    })
    expect(any.accounts).toBeUndefined()
    expect(any.features[0]!.cells[0]).toMatchObject({ eligible: 2, retained: 1 })
  })
})
