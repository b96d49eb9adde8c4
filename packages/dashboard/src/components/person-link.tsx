import type { Child } from 'hono/jsx'

/** Link to a person's page; every list that names a person uses it. */
export const PersonLink = (props: { id: string; children?: Child }) =>
  props.id ? <a href={`/app/person/${encodeURIComponent(props.id)}`}>{props.children ?? props.id}</a> : <span class="muted">—</span>

/** "2026-11-24T13:00:00.000Z" → "2026-11-24 13:00" in the zone (a page's time zone). */
export function fmtInstant(iso: string | null, tz = 'UTC'): string {
  if (!iso) return '—'
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso))
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`
}
