/** What a translation check found, for one key of one changed file. */
export interface CheckFinding {
  /** Repository path of the file, and its locale's name. */
  path: string
  locale: string
  key: string
  check: 'placeholders' | 'icu' | 'tags' | 'empty'
  /** Plain words, e.g. "placeholder missing"; `token` (if any) is the code it is about. */
  message: string
  token?: string
  /** The translation as a person reads it (for the report; shortened there). */
  text: string
}

/** One problem in one text, before it is tied to a file and key. */
export type Problem = Pick<CheckFinding, 'check' | 'message' | 'token'>

export type CheckMode = 'warn' | 'fail' | 'off'

/** What the checks did in one run: the report says it even when they found nothing. */
export interface CheckSummary {
  mode: CheckMode
  /** Changed and added keys whose text was checked. */
  keys: number
  findings: number
  /** Changed files without a source text to compare with: only ICU syntax and tags were checked. */
  withoutSource: number
}
