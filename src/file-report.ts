/** One file of a change report: what the PR body, the job summary and the key view describe. */
import type { ValueLookup } from './files/diff.js'

export interface FileReport {
  path: string
  locale: string
  /** The locale's code: a path may use it instead of the name (`web/de-DE.json`). */
  localeCode?: string
  status: 'added' | 'changed'
  /** Undefined when the format has no key-level diff: the file is reported as a whole. */
  keys?: { added: string[]; changed: string[]; removed: string[] }
  note?: string
  /** The changed keys' old and new values (from the comparison), for old → new lines. */
  values?: ValueLookup
  /**
   * ISO date: the file is on the PR branch but this run did not download it (outside its plan);
   * an earlier run wrote its bytes then.
   */
  carriedFrom?: string
}
