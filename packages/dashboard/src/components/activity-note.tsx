import type { RollupCoverage } from '@tenure/analysis'
import type { RollupJobStatus } from '../deps.js'
import { Note } from './states.js'

/**
 * A report read from the activity rollup while older events are still being added to it: its
 * figures are short of what the events will give, so the page says so above them.
 */
export function ActivityNote(props: { activity: Pick<RollupCoverage, 'complete' | 'note'> | null | undefined }) {
  const a = props.activity
  if (!a || a.complete || !a.note) return null
  return (
    <div class="activity-note" data-activity-incomplete>
      <Note kind="warn">{a.note}</Note>
    </div>
  )
}

const monthText = (m: number) => `${String(m).slice(0, 4)}-${String(m).slice(4)}`

/**
 * The rollup backfill job while it waits or runs, for the overview: this project's months added so
 * far (other projects are named by no id: they are not this project's business).
 */
export function RollupJobNote(props: { job: RollupJobStatus; coverage: Pick<RollupCoverage, 'complete' | 'monthsDone' | 'months'>; projectId: string }) {
  const { job, coverage } = props
  const here = job.project === props.projectId
  const progress = coverage.complete
    ? "this project's older events are all in it"
    : job.state === 'waiting'
      ? 'it starts once the collector has finished its start-up work'
      : here && job.months
        ? `this project: ${job.monthsDone} of ${job.months} months added${job.month ? `, adding ${monthText(job.month)} now` : ''}`
        : coverage.months
          ? `this project: ${coverage.monthsDone} of ${coverage.months} months added; another project's are being added now`
          : "this project's turn has not come yet"
  return (
    <div class="rollup-job" data-rollup-job={job.state}>
      <Note kind={coverage.complete ? 'info' : 'warn'}>
        Events stored before this version are being added to the activity rollup ({job.state === 'waiting' ? 'waiting to start' : 'running'}): {progress}.
        {coverage.complete ? null : ' The activity figures below and the account reports (health, worklist, renewals, account pages) cover the events added so far and every event received since.'}
      </Note>
    </div>
  )
}
