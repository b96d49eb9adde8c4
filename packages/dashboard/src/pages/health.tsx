import { COMPONENT_DESCRIPTIONS, QUADRANT_ACTIONS, segmentAccounts, type HealthAccountRow, type HealthReport, type Quadrant, type SeatSharingResult } from '@tenure/analysis'
import { z } from 'zod'
import { BubbleChart } from '../components/bubble-chart.js'
import { Figures } from '../components/figures.js'
import { ActivityNote } from '../components/activity-note.js'
import { DEFAULT_SEAT_DAYS, QUADRANT_THRESHOLDS } from '../data/health-cache.js'
import { Note } from '../components/states.js'
import { fmtInterval, fmtMoney, fmtNum, fmtPct } from '../format.js'
import { addDays, intIn, parseParams } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { AccountLink, AccountTabs, asOf, asOfField, tabQuery } from './accounts-shared.js'
import { PersonLink } from '../components/person-link.js'

const Params = z.object({
  as_of: asOf,
  // Left empty, the report chooses both from the history that exists (and says how).
  window_days: z.preprocess((v) => (v === '' ? undefined : v), intIn(1, 3660).optional()),
  horizon_days: z.preprocess((v) => (v === '' ? undefined : v), intIn(1, 3660).optional()),
  weighting: z.enum(['fit', 'manual']).default('fit'),
  seat_days: intIn(1, 366).default(DEFAULT_SEAT_DAYS),
})
type P = z.infer<typeof Params>

interface Data {
  health: HealthReport
  seats: SeatSharingResult
}

export const QUADRANT_NAMES: Record<Quadrant, string> = {
  expand: 'Expand: healthy and warm',
  convert: 'Convert now: warm, not healthy',
  investigate: 'Investigate: healthy, cold',
  train: 'Train: cold, not healthy',
}
/** Where the report splits (see health-cache.ts), drawn on the chart so the lines sit there. */
const THRESHOLDS = QUADRANT_THRESHOLDS
const BAND_COLOR = { red: '#dc2626', yellow: '#ca8a04', green: '#16a34a' } as const
/** Bubbles of a score that does not predict yet: one neutral colour, nothing that reads as risk. */
const NO_BAND_COLOR = '#6b7280'

interface SeatRow {
  accountId: string
  activePeople: number
  userId: string
  reasons: string
  overlapDays: number
  hoursPerActiveDay: number
  peerMedianHoursPerDay: number
  devices: number
  evidence: string
}

function seatRows(s: SeatSharingResult): SeatRow[] {
  return s.accounts.flatMap((a) =>
    a.flaggedUsers.map((u) => ({
      accountId: a.accountId, activePeople: a.activePeople, userId: u.userId, reasons: u.reasons.join(', '), overlapDays: u.overlapDays,
      hoursPerActiveDay: u.activity.hoursPerActiveDay, peerMedianHoursPerDay: u.activity.peerMedianHoursPerDay, devices: u.activity.devices,
      evidence: u.overlaps.map((o) => `${o.day}: ${o.a.device} and ${o.b.device} overlapped ${Math.round(o.overlapSeconds / 60)} min`).join('; '),
    })),
  )
}

/** Health score with its validation, the health × temperature quadrant, and seat sharing. */
export const healthPage: PageDef<P, Data> = {
  nav: 'accounts',
  title: 'Account health',
  path: () => '/app/accounts/health',
  segments: 'accounts',
  fields: [
    asOfField,
    { name: 'window_days', label: 'Usage window (days)', type: 'number', min: 1, max: 3660, width: 's' },
    { name: 'horizon_days', label: 'Scored days before renewal', type: 'number', min: 1, max: 3660, width: 's' },
    { name: 'weighting', label: 'Weights', type: 'select', options: [{ value: 'fit', label: 'Fitted on renewals' }, { value: 'manual', label: 'Equal' }] },
    { name: 'seat_days', label: 'Seat-sharing days', type: 'number', min: 1, max: 366, width: 's' },
  ],
  parse: (q) => parseParams(Params, q),
  values: (p) => ({ as_of: p.as_of, window_days: p.window_days === undefined ? '' : String(p.window_days), horizon_days: p.horizon_days === undefined ? '' : String(p.horizon_days), weighting: p.weighting, seat_days: String(p.seat_days) }),
  async load(ctx, p) {
    const projectId = ctx.project.id
    const [health, seats, members] = await Promise.all([
      ctx.health.get(ctx.client, { projectId, asOf: p.as_of, windowDays: p.window_days, horizonDays: p.horizon_days, weighting: p.weighting, segment: ctx.segment }),
      ctx.health.seatSharing(ctx.client, projectId, addDays(p.as_of, -p.seat_days), p.as_of),
      ctx.segment ? segmentAccounts(ctx.client, projectId, p.as_of, { segment: ctx.segment }) : Promise.resolve(null),
    ])
    // Seat sharing is looked for across the project (one shared result); a segment's page lists its accounts only.
    return { health, seats: members ? { ...seats, accounts: seats.accounts.filter((a) => members.accounts.has(a.accountId)) } : seats }
  },
  tables: ({ health: h, seats }, p) => {
    const names = new Map(h.accounts.map((a) => [a.accountId, a.name]))
    const cur = h.currency
    const t = h.validation.tested
    return [
      table<(typeof t.bands)[number]>({
        id: 'band-rates', title: 'Renewal rate by health band (held-out renewals)', rows: t.bands, empty: 'No renewals to test on yet.',
        columns: [
          { key: 'band', label: 'Band', value: (b) => b.band, show: (b) => <span class={`tag band-${b.band}`}>{b.band}</span> },
          { key: 'renewals', label: 'Renewals', numeric: true, value: (b) => b.renewals.n },
          { key: 'renewed', label: 'Renewed', numeric: true, value: (b) => b.renewals.k },
          { key: 'rate', label: 'Renewal rate', numeric: true, value: (b) => b.renewals.rate, show: (b) => fmtPct(b.renewals.rate) },
          { key: 'rate_low', label: '95% interval', numeric: true, value: (b) => b.renewals.low, show: (b) => fmtInterval(b.renewals.low, b.renewals.high) },
          { key: 'rate_high', label: 'high', csvOnly: true, value: (b) => b.renewals.high },
        ],
      }),
      table<{ component: string; weight: number; description: string }>({
        id: 'model', title: `Score components and weights (${h.model.weighting}, on ${h.model.trainedOn} renewals)`, empty: 'No components.',
        rows: h.model.components.map((c, i) => ({ component: c, weight: h.model.weights[i] ?? 0, description: (COMPONENT_DESCRIPTIONS as Record<string, string>)[c] ?? '' })),
        columns: [
          { key: 'component', label: 'Component', value: (r) => r.component },
          { key: 'weight', label: 'Weight', numeric: true, value: (r) => r.weight, show: (r) => fmtNum(r.weight, 3) },
          { key: 'description', label: 'Measures', value: (r) => r.description },
        ],
      }),
      table<(typeof h.quadrants)[number]>({
        id: 'quadrants', title: 'Quadrants and what to do', rows: h.quadrants, empty: 'No paying accounts.',
        columns: [
          { key: 'quadrant', label: 'Quadrant', value: (q) => q.quadrant, show: (q) => QUADRANT_NAMES[q.quadrant] },
          { key: 'accounts', label: 'Accounts', numeric: true, value: (q) => q.accounts },
          { key: 'arr', label: 'ARR', numeric: true, value: (q) => q.arr, show: (q) => fmtMoney(q.arr, cur) },
          { key: 'action', label: 'Action', value: (q) => q.action },
        ],
      }),
      table<HealthAccountRow>({
        id: 'accounts', title: 'Accounts paying today', rows: [...h.accounts].sort((a, b) => b.arr - a.arr), empty: 'No account is paying on this day.',
        columns: [
          { key: 'account_id', label: 'Account', value: (a) => a.accountId, show: (a) => <AccountLink id={a.accountId} asOf={p.as_of}>{a.name || a.accountId}</AccountLink> },
          { key: 'plan', label: 'Plan', value: (a) => a.plan },
          { key: 'arr', label: 'ARR', numeric: true, value: (a) => a.arr, show: (a) => fmtMoney(a.arr, cur) },
          { key: 'health', label: 'Health', numeric: true, value: (a) => a.health, show: (a) => fmtNum(a.health, 0) },
          { key: 'band', label: 'Band', value: (a) => a.band ?? '', show: (a) => (a.band ? <span class={`tag band-${a.band}`}>{a.band}</span> : <span class="muted">not predictive yet</span>) },
          { key: 'temperature', label: 'Temperature', numeric: true, value: (a) => a.temperature, show: (a) => fmtNum(a.temperature, 0) },
          { key: 'quadrant', label: 'Quadrant', value: (a) => a.quadrant },
          { key: 'seat_sharing', label: 'Seat sharing?', value: (a) => a.seatSharingSuspected, show: (a) => (a.seatSharingSuspected ? 'suspected' : '') },
          { key: 'action', label: 'Action', value: (a) => a.action },
        ],
      }),
      table<SeatRow>({
        id: 'seat-sharing', title: `Seat sharing, ${seats.from} to ${seats.to}`, rows: seatRows(seats), empty: 'Nobody looks like several people on one seat in this period.',
        columns: [
          { key: 'account_id', label: 'Account', value: (r) => r.accountId, show: (r) => <AccountLink id={r.accountId} asOf={p.as_of}>{names.get(r.accountId) || r.accountId}</AccountLink> },
          { key: 'user_id', label: 'User', value: (r) => r.userId, show: (r) => <PersonLink id={r.userId} /> },
          { key: 'reasons', label: 'Why', value: (r) => r.reasons },
          { key: 'overlap_days', label: 'Overlap days', numeric: true, value: (r) => r.overlapDays },
          { key: 'hours_per_active_day', label: 'Hours / day', numeric: true, value: (r) => r.hoursPerActiveDay, show: (r) => fmtNum(r.hoursPerActiveDay, 1) },
          { key: 'peer_median_hours', label: 'Peers (median)', numeric: true, value: (r) => r.peerMedianHoursPerDay, show: (r) => fmtNum(r.peerMedianHoursPerDay, 1) },
          { key: 'devices', label: 'Devices', numeric: true, value: (r) => r.devices },
          { key: 'evidence', label: 'Evidence', value: (r) => r.evidence },
        ],
      }),
    ]
  },
  view: ({ health: h }, p, kit) => {
    const v = h.validation
    const auc = v.tested.auc
    return (
      <>
        <AccountTabs current="health" query={tabQuery(p.as_of, kit.ctx.segment)} />
        <ActivityNote activity={h.activity} />
        <section aria-labelledby="h-validation">
          <h2 id="h-validation">Does the health score predict renewal?</h2>
          {h.predictive.predictive ? (
            <Note kind="info">Predictive: on renewals it was not fitted on, the score separates renewals from losses better than chance.</Note>
          ) : (
            <div class="not-predictive" role="alert">
              <Note kind="warn">
                <strong>Not predictive yet.</strong> Health scores below are shown without bands: they do not measure risk until this is fixed.
              </Note>
              <ul>
                {h.predictive.missing.map((m) => <li>{m}</li>)}
              </ul>
            </div>
          )}
          <p class="muted">Windows: {h.windows.note}. Components: {h.componentNote}.</p>
          <p class="muted">
            The score of each past renewal is taken {h.horizonDays} days before its due date. The model is fitted on the earlier {v.trained.count} renewals
            {v.trained.from ? ` (${v.trained.from} to ${v.trained.to})` : ''} and tested on the later {v.tested.count}
            {v.tested.from ? ` (${v.tested.from} to ${v.tested.to})` : ''}.
          </p>
          <Figures
            label="Validation"
            items={[
              { id: 'auc', label: 'AUC on held-out renewals', value: auc ? fmtNum(auc.auc, 3) : '—', sub: auc ? `95% ${fmtNum(auc.low, 2)}–${fmtNum(auc.high, 2)}; ${auc.positives} renewed, ${auc.negatives} lost` : 'not enough renewals' },
              { id: 'auc-train', label: 'AUC on training renewals', value: v.trained.auc ? fmtNum(v.trained.auc.auc, 3) : '—' },
              { id: 'tested', label: 'Renewals tested', value: fmtNum(v.tested.count) },
              { id: 'accounts', label: 'Accounts scored', value: fmtNum(h.accounts.length) },
            ]}
          />
          {v.notes.map((n) => <Note kind="warn">{n}</Note>)}
          <div class="cols-2">
            {h.predictive.predictive ? kit.table('band-rates') : null}
            {kit.table('model')}
          </div>
        </section>
        <section aria-labelledby="h-quadrant">
          <h2 id="h-quadrant">Health × temperature</h2>
          <p class="muted">Bubble size is ARR; colour is the health band (grey while the score is not predictive). Temperature measures purchase intent (pricing views, upgrade clicks, seats near the limit) over the last 30 days.</p>
          {h.accounts.length ? (
            <BubbleChart
              title="Accounts by health and temperature"
              currency={h.currency}
              thresholds={THRESHOLDS}
              quadrantNames={QUADRANT_NAMES}
              bubbles={h.accounts.map((a) => ({
                id: a.accountId, label: a.name || a.accountId, x: a.health, y: a.temperature, size: a.arr, color: a.band ? BAND_COLOR[a.band] : NO_BAND_COLOR,
                href: `/app/account/${encodeURIComponent(a.accountId)}?as_of=${p.as_of}`,
              }))}
            />
          ) : null}
          {kit.table('quadrants')}
          <ul class="actions">
            {(Object.keys(QUADRANT_ACTIONS) as Quadrant[]).map((q) => (
              <li><strong>{QUADRANT_NAMES[q]}.</strong> {QUADRANT_ACTIONS[q]}</li>
            ))}
          </ul>
          {kit.table('accounts')}
        </section>
        <section aria-labelledby="h-seats">
          <h2 id="h-seats">Seat sharing</h2>
          <p class="muted">One login active from several devices at overlapping times on several days, or far more hours per day than the account's peers.</p>
          {kit.table('seat-sharing')}
        </section>
      </>
    )
  },
}
