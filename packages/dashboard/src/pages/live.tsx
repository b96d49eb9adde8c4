import { liveEvents, type LiveEvent, type LivePage } from '@tenure/analysis'
import { z } from 'zod'
import { fmtInstant, PersonLink } from '../components/person-link.js'
import { parseParams, urlWith } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { AccountLink } from './accounts-shared.js'
import { todayIn } from '../params.js'

const text = (max: number) => z.string().trim().max(max).optional().transform((v) => v || undefined)
export const LiveParams = z.object({ event: text(200), person: text(200), url: text(500) })
type P = z.infer<typeof LiveParams>

/** The query of the stream a live page opens (same filters, starting after what the page shows). */
export function streamHref(p: P, after: string): string {
  return urlWith('/app/live/stream', { event: p.event, person: p.person, url: p.url, after })
}

/** Newest stored events; `assets/live.js` adds new ones from `/app/live/stream` as they are stored. */
export const livePage: PageDef<P, LivePage> = {
  nav: 'live',
  title: 'Live events',
  path: () => '/app/live',
  intro: <p>The project's newest events as they are stored (last hour), newest first. New events appear at the top within about a second; without JavaScript, reload the page.</p>,
  fields: [
    { name: 'event', label: 'Event type', type: 'text', width: 'm', placeholder: 'e.g. $click' },
    { name: 'person', label: 'Person (user or anonymous id)', type: 'text', width: 'm' },
    { name: 'url', label: 'URL contains', type: 'text', width: 'l' },
  ],
  parse: (q) => parseParams(LiveParams, q),
  values: (p) => ({ event: p.event ?? '', person: p.person ?? '', url: p.url ?? '' }),
  load: (ctx, p) => liveEvents(ctx.client, { projectId: ctx.project.id, event: p.event, person: p.person, url: p.url, limit: 100 }),
  tables: (d) => [
    table<LiveEvent>({
      id: 'live', title: 'Newest events', rows: d.events, empty: 'No event stored in the last hour matches.',
      columns: [
        { key: 'stored_at', label: 'Stored (UTC)', value: (r) => r.storedAt, show: (r) => fmtInstant(r.storedAt) },
        { key: 'timestamp', label: 'Event time (UTC)', value: (r) => r.timestamp, show: (r) => fmtInstant(r.timestamp) },
        { key: 'event', label: 'Event', value: (r) => r.event },
        { key: 'person', label: 'Person', value: (r) => r.person, show: (r) => <PersonLink id={r.person} /> },
        { key: 'account_id', label: 'Account', value: (r) => r.accountId, show: (r) => (r.accountId ? <AccountLink id={r.accountId} asOf={todayIn('UTC')} /> : '—') },
        { key: 'element_text', label: 'Element text', value: (r) => r.elementText },
        { key: 'url', label: 'URL', value: (r) => r.url, show: (r) => <span class="url">{r.url}</span> },
        { key: 'uuid', label: 'Event id', value: (r) => r.uuid, csvOnly: true },
      ],
    }),
  ],
  view: (d, p, kit) => (
    <>
      <p class="live-status" role="status" aria-live="polite" data-live-stream={streamHref(p, d.cursor)}>Waiting for new events…</p>
      {d.events.length ? kit.table('live') : (
        // An empty table the script can fill, so the first new event has somewhere to go.
        <section class="table-block" data-table-block="live">
          <h3>Newest events</h3>
          <table data-table="live"><thead><tr>{['Stored (UTC)', 'Event time (UTC)', 'Event', 'Person', 'Account', 'Element text', 'URL'].map((h) => <th scope="col">{h}</th>)}</tr></thead><tbody></tbody></table>
        </section>
      )}
      <script src="/app/static/live.js" defer></script>
    </>
  ),
}
