import type { HealthReport } from './health-report.js'
import type { RenewalsReport } from './renewals-report.js'
import type { RevenueReport } from './revenue-report.js'
import type { SeatSharingResult } from './seat-sharing.js'

/** Plain-text renderings of the account reports, for the CLI. */

const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(digits)}%`)
const money = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })
const fixed = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '—' : x.toFixed(digits))
const ci = (low: number | null, high: number | null) => (low === null || high === null ? '' : ` [${pct(low)}, ${pct(high)}]`)

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function revenueText(r: RevenueReport): string {
  const out = [
    `Revenue as of ${r.asOf} (${r.currency ?? 'no contracts'})`,
    `MRR ${money(r.mrr)}   ARR ${money(r.arr)}   paying accounts ${r.economics.payingAccounts}   ARPA ${r.economics.arpa === null ? '—' : money(r.economics.arpa)}`,
  ]
  if (r.otherCurrencies.length) out.push(`Left out (other currencies): ${r.otherCurrencies.map((c) => `${c.currency} ${c.contractVersions} versions`).join(', ')}`)
  out.push(
    `Renewals due ${r.period.from}..${r.period.to}: ${r.renewals.accountsDue} accounts (${r.renewals.pending} pending) — logo ${pct(r.renewals.logoRenewalRate)}, ` +
      `gross dollar ${pct(r.renewals.grossDollarRenewalRate)}, net dollar ${pct(r.renewals.netDollarRenewalRate)}`,
    `Logos from ${r.logos.start ?? r.period.from} to ${r.logos.end ?? r.period.to}: S ${r.logos.atStart} (paying on ${r.logos.start ?? r.period.from}), lost ${r.logos.lost}, new ${r.logos.newInPeriod}, E ${r.logos.atEnd} — logo churn ${pct(r.logos.logoChurnRate)}, CRR ${pct(r.logos.crr)}`,
    r.netRetention
      ? `NRR ${pct(r.netRetention.nrr)}  GRR ${pct(r.netRetention.grr)}  (${r.netRetention.cohortAccounts} accounts paying at the end of ${r.netRetention.t0}, to ${r.netRetention.t1})`
      : 'NRR/GRR: fewer than 13 months of history',
    `LTV ${r.economics.ltv === null ? '— (no churn yet)' : money(r.economics.ltv)}   monthly logo churn ${pct(r.economics.monthlyLogoChurn, 2)}   ` +
      `CAC ${r.economics.cac === null ? '—' : money(r.economics.cac)}   LTV/CAC ${fixed(r.economics.ltvToCac)}`,
    '',
    table(
      ['month', 'start', 'new', 'expansion', 'reactivation', 'contraction', 'churned', 'end', 'identity'],
      r.months.map((m) => [m.month, money(m.start), money(m.new), money(m.expansion), money(m.reactivation), money(m.contraction), money(m.churned), money(m.end), m.identityHolds ? 'ok' : 'BROKEN']),
    ),
  )
  return out.join('\n')
}

export function renewalsText(r: Omit<RenewalsReport, 'activity'> & Partial<Pick<RenewalsReport, 'activity'>>): string {
  const f = r.featureRenewal
  const out = [
    ...(r.activity?.note ? [r.activity.note] : []),
    `Renewals due by ${r.asOf}: ${r.renewals.length} with a known outcome (${r.pending} pending); usage in the ${r.lookbackDays} days before each due date`,
    `Features: ${r.featureSource === 'definitions' ? 'the project\'s feature definitions' : r.featureSource === 'feature_key' ? 'feature keys on events (no definitions yet)' : 'as given'}`,
    `Overall renewal rate ${f.overall.k}/${f.overall.n} = ${pct(f.overall.rate)}${ci(f.overall.low, f.overall.high)}`,
    '',
    table(
      ['feature', 'used: renewed', 'rate [95% CI]', 'not used: renewed', 'rate [95% CI]', 'lift', 'difference [95% CI]', 'p', 'q', ''],
      f.features.map((row) => {
        const c = row.comparison
        return [
          r.featureNames[row.feature] ? `${r.featureNames[row.feature]} (${row.feature})` : row.feature, `${c.group.k}/${c.group.n}`, `${pct(c.group.rate)}${ci(c.group.low, c.group.high)}`, `${c.baseline.k}/${c.baseline.n}`,
          `${pct(c.baseline.rate)}${ci(c.baseline.low, c.baseline.high)}`, fixed(c.lift), `${pct(c.difference.diff)}${ci(c.difference.low, c.difference.high)}`,
          c.p === null ? '—' : c.p.toExponential(2), row.q === null ? '—' : row.q.toExponential(2), row.highRenewal ? 'HIGH RENEWAL' : '',
        ]
      }),
    ),
  ]
  if (f.notEnoughData.length) out.push('', `Not enough data (fewer than ${f.minN} using accounts): ${f.notEnoughData.map((n) => `${n.feature} (${n.users})`).join(', ')}`)
  out.push('', f.note)
  return out.join('\n')
}

export function healthText(h: HealthReport): string {
  const v = h.validation
  const auc = (a: typeof v.tested.auc) => (a ? `${a.auc.toFixed(3)} [${a.low.toFixed(3)}, ${a.high.toFixed(3)}]` : '—')
  const out = [
    ...(h.activity?.note ? [h.activity.note] : []),
    `Health as of ${h.asOf}: components ${h.components.join(', ')}; weights (${h.model.weighting}) ${h.model.weights.map((w) => w.toFixed(2)).join(', ')} from ${h.model.trainedOn} past renewals`,
    `Windows: ${h.windows.note}${h.windows.excludedRenewals ? `; ${h.windows.excludedRenewals} renewals due before the history covers their window left out` : ''}`,
    `Components: ${h.componentNote}`,
    h.predictive.predictive ? 'The score is predictive on the held-out renewals.' : `NOT PREDICTIVE YET — ${h.predictive.missing.join('; ')}. Scores are shown without bands.`,
    `Validation (scores taken ${h.horizonDays} days before each due date, over ${h.windowDays} days of usage; fitted on the earlier renewals, tested on the later):`,
    `  train ${v.trained.count} renewals ${v.trained.from ?? ''}..${v.trained.to ?? ''}  AUC ${auc(v.trained.auc)}`,
    `  test  ${v.tested.count} renewals ${v.tested.from ?? ''}..${v.tested.to ?? ''}  AUC ${auc(v.tested.auc)}`,
    ...(v.tested.bands.length === 0 ? [] : [`  renewal rate by band (test): ${v.tested.bands.map((b) => `${b.band} ${b.renewals.k}/${b.renewals.n} = ${pct(b.renewals.rate)}`).join(', ')}`]),
    ...v.notes.map((n) => `  note: ${n}`),
    '',
    table(['quadrant', 'accounts', 'ARR', 'action'], h.quadrants.map((q) => [q.quadrant, String(q.accounts), money(q.arr), q.action])),
    '',
    table(
      ['account', 'ARR', 'health', 'band', 'temperature', 'quadrant', 'seat sharing?'],
      [...h.accounts].sort((a, b) => b.arr - a.arr).map((a) => [a.name ? `${a.accountId} (${a.name})` : a.accountId, money(a.arr), a.health.toFixed(0), a.band ?? '—', a.temperature.toFixed(0), a.quadrant, a.seatSharingSuspected ? 'yes' : '']),
    ),
  ]
  return out.join('\n')
}

export function seatSharingText(r: SeatSharingResult): string {
  if (r.accounts.length === 0) return `No seat sharing found ${r.from}..${r.to}.`
  const out = [`Possible seat sharing ${r.from}..${r.to}:`]
  for (const a of r.accounts) {
    out.push('', `${a.accountId}: ${a.flaggedUsers.length} of ${a.activePeople} active people flagged`)
    for (const u of a.flaggedUsers) {
      out.push(`  ${u.userId}: ${u.reasons.join(', ')} — ${u.activity.hoursPerActiveDay.toFixed(1)} active hours/day (peers ${u.activity.peerMedianHoursPerDay.toFixed(1)}), ${u.activity.devices} devices, overlaps on ${u.overlapDays} days`)
      for (const o of u.overlaps) out.push(`    ${o.a.device} ${o.a.start}–${o.a.end.slice(11)}  ∩  ${o.b.device} ${o.b.start}–${o.b.end.slice(11)}  (${Math.round(o.overlapSeconds / 60)} min)`)
    }
  }
  return out.join('\n')
}
