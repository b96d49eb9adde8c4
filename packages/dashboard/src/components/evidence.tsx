import { describeSet, type FeatureEvidence, type HighRetentionRow, type NudgeExperiment } from '@tenure/analysis'
import { fmtNum } from '../format.js'
import { Figures } from './figures.js'
import { Note } from './states.js'

const pts = (x: number) => `${(x * 100).toFixed(1)} pts`
const TAG: Record<FeatureEvidence['level'], string> = { association: 'nodata', confirmed: 'good', not_confirmed: 'draft' }

/** The evidence level of a high-retention feature: a tag, the deciding experiment, and a one-click nudge to test an unconfirmed flag. */
export function EvidenceCell(props: { e: FeatureEvidence }) {
  const e = props.e
  const x = e.experiment
  return (
    <span class="evidence" data-evidence={e.level}>
      <span class={`tag ${TAG[e.level]}`}>{e.label}</span>
      {x ? (
        <small class="ci">
          <a href={`/app/nudges/${encodeURIComponent(x.nudgeId)}`}>{x.nudgeName}</a>: CACE {x.cace === null ? '—' : pts(x.cace)}, always-valid {describeSet(x.alwaysValid, pts)}
        </small>
      ) : e.pending.length ? <small class="ci">experiment running, not enough users past day N yet</small> : null}
      {e.testWithNudge ? <> <a class="test-with-nudge" href={`/app/nudges/new?feature=${encodeURIComponent(e.testWithNudge.featureId)}`}>test with a nudge</a></> : null}
    </span>
  )
}

/** CSV/table columns for the evidence level. */
export function evidenceColumns() {
  return [
    { key: 'evidence', label: 'Evidence', value: (f: HighRetentionRow) => f.evidence.label, show: (f: HighRetentionRow) => <EvidenceCell e={f.evidence} /> },
    { key: 'experiment_nudge', label: 'Experiment nudge', csvOnly: true, value: (f: HighRetentionRow) => f.evidence.experiment?.nudgeId ?? null },
    { key: 'experiment_cace', label: 'Experiment CACE', csvOnly: true, value: (f: HighRetentionRow) => f.evidence.experiment?.cace ?? null },
    { key: 'experiment_cace_low', label: 'always-valid low', csvOnly: true, value: (f: HighRetentionRow) => f.evidence.experiment?.alwaysValid.low ?? null },
    { key: 'experiment_cace_high', label: 'always-valid high', csvOnly: true, value: (f: HighRetentionRow) => f.evidence.experiment?.alwaysValid.high ?? null },
  ]
}

/** The nudge report's experiment section: assigned vs held out as an encouragement design. */
export function ExperimentSection(props: { x: NudgeExperiment; retentionDay: number }) {
  const x = props.x
  const itt = (i: NudgeExperiment['ittAdoption']) =>
    i.estimate === null ? '—' : `${pts(i.estimate)} (fixed-horizon ${i.fixed.low === null ? '—' : pts(i.fixed.low)} to ${i.fixed.high === null ? '—' : pts(i.fixed.high)}; always-valid ${i.alwaysValid.low === null ? '—' : pts(i.alwaysValid.low)} to ${i.alwaysValid.high === null ? '—' : pts(i.alwaysValid.high)})`
  const ratio = (v: number) => `${v.toFixed(2)}×`
  return (
    <section class="experiment" data-evidence={x.evidence}>
      <h3>Experiment: the effect of using the feature</h3>
      <p class="muted">{x.design}</p>
      <Note kind={x.evidence === 'confirmed' ? 'info' : 'warn'}>{x.message}</Note>
      <Figures
        label="Experiment"
        items={[
          { id: 'iv-assigned', label: 'Assigned, past day N', value: fmtNum(x.n.assigned) },
          { id: 'iv-held-out', label: 'Held out, past day N', value: fmtNum(x.n.heldOut) },
          { id: 'iv-f', label: 'First-stage F', value: x.firstStage.f === null ? '—' : fmtNum(x.firstStage.f, 1), sub: x.firstStage.weak ? 'instrument too weak' : 'strong enough' },
          { id: 'iv-cace', label: 'CACE', value: x.cace.estimate === null ? '—' : pts(x.cace.estimate), sub: `always-valid ${describeSet(x.cace.alwaysValid, pts)}` },
        ]}
      />
      <ul class="experiment-lines">
        <li>Assignment's effect on adoption (intention to treat): {itt(x.ittAdoption)}. {x.firstStage.words}</li>
        <li>Assignment's effect on day-{props.retentionDay} retention (intention to treat): {itt(x.ittRetention)}.</li>
        <li>
          CACE (risk difference): {x.cace.estimate === null ? '—' : pts(x.cace.estimate)}; fixed-horizon 95% {describeSet(x.cace.fixed, pts)};
          always-valid 95% {describeSet(x.cace.alwaysValid, pts)}.
        </li>
        <li>
          CACE (ratio, compliers using vs not using): {x.caceRatio.estimate === null ? '—' : ratio(x.caceRatio.estimate)}; fixed-horizon 95% {describeSet(x.caceRatio.fixed, ratio)};
          always-valid 95% {describeSet(x.caceRatio.alwaysValid, ratio)}.
        </li>
        <li>Planning: {x.plan.words}</li>
      </ul>
      <p class="muted">{x.intervals} Critical values: fixed {fmtNum(x.criticalValues.fixed, 2)}, always-valid {x.criticalValues.alwaysValid === null ? '—' : fmtNum(x.criticalValues.alwaysValid, 2)}.</p>
    </section>
  )
}
