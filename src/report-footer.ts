/**
 * The last line of the report: where the translations came from (Phrase project, data centre),
 * who pulled them (a link to the workflow run) and when. A rerun that finds the same changes keeps
 * the line it wrote before, so the pull request is not edited just to say "again, now".
 */
import { codeSpan, escapeText } from './markdown.js'
import type { RunAbout } from './run-about.js'

const FOOTER_START = '<sub>Pulled from Phrase'

export function footerLine(about: RunAbout): string {
  const projects = about.projects.map(
    project =>
      codeSpan(project.id) + (project.branch ? ` (branch ${codeSpan(project.branch)})` : '')
  )
  const noun = projects.length === 1 ? 'project' : 'projects'
  const where = `${FOOTER_START} ${noun} ${projects.join(', ')} (${escapeText(about.dataCentre)})`
  const by = about.run ? ` by ${runLink(about.run)}` : ''
  const [date, time] = about.startedAt.split('T')
  return `${where}${by} on ${date} at ${time.slice(0, 5)} UTC.</sub>`
}

function runLink(run: NonNullable<RunAbout['run']>): string {
  const name = `${escapeText(run.workflow ?? 'workflow run')}${run.number ? ` #${escapeText(run.number)}` : ''}`
  const url = run.url.replace(/[()\s]/g, encodeURIComponent)
  // A scheduled run's actor is whoever last edited the workflow: not who pulled.
  const who = run.actor && run.event !== 'schedule' ? ` by ${escapeText(run.actor)}` : ''
  const trigger = run.event ? ` (${escapeText(run.event)}${who})` : ''
  return `[${name}](${url})${trigger}`
}

/**
 * `report` with the footer of `previousBody` when everything above the footer is unchanged: the
 * content was pulled then and is still what Phrase has.
 */
export function keepFooter(report: string, previousBody: string | undefined): string {
  const at = report.lastIndexOf(`\n${FOOTER_START}`)
  if (!previousBody || at < 0) return report
  const above = report.slice(0, at + 1)
  const previous = previousBody.replace(/\r\n/g, '\n')
  const start = previous.indexOf(above)
  if (start < 0) return report
  const [line] = previous.slice(start + above.length).split('\n', 1)
  return line.startsWith(FOOTER_START) ? above + line : report
}
