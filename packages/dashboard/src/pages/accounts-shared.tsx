import type { Child } from 'hono/jsx'
import { z } from 'zod'
import { isoDate, todayIn, urlWith } from '../params.js'
import { Tabs } from '../components/tabs.js'

/** The two account pages share a sub-menu. */
export function AccountTabs(props: { current: 'revenue' | 'health' | 'worklist' | 'calendar'; query: string }) {
  const tabs = [
    { key: 'revenue', label: 'Revenue & renewals', href: '/app/accounts' },
    { key: 'health', label: 'Health & seat sharing', href: '/app/accounts/health' },
    { key: 'worklist', label: 'Worklist', href: '/app/accounts/worklist' },
    { key: 'calendar', label: 'Renewal calendar', href: '/app/accounts/calendar' },
  ] as const
  return <Tabs label="Account reports" tabs={tabs} current={props.current} query={props.query} />
}

/** The query the account tabs carry: the day, and the segment when one is chosen. */
export const tabQuery = (asOf: string, segment: string | undefined): string => urlWith('', { as_of: asOf, ...(segment ? { segment } : {}) })

export const asOfField = { name: 'as_of', label: 'As of', type: 'date', width: 'm' } as const

/** Account reports take their day like the API: `as_of`, default today (UTC). */
export const asOf = isoDate.optional().transform((v) => v ?? todayIn('UTC'))

export const AccountLink = (props: { id: string; asOf: string; children?: Child }) => (
  <a href={`/app/account/${encodeURIComponent(props.id)}?as_of=${props.asOf}`}>{props.children ?? props.id}</a>
)

export const currencyParam = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
  .transform((s) => s.toUpperCase())
  .optional()
