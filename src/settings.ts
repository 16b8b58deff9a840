/** The typed, validated settings of one run. Built once by inputs.ts; everything else reads it. */
import type { CheckMode } from './checks/types.js'
import type { RunAbout } from './run-about.js'

/** GitHub's merge methods, as the `auto-merge` input names them. */
export type MergeMethod = 'merge' | 'squash' | 'rebase'

/** One file family to pull: a path template and the Phrase request that fills it. */
export interface Target {
  /** Repository-relative template with `<locale_name>`, `<locale_code>` and `<tag>` placeholders. */
  file: string
  projectId: string
  /** Phrase format api_name, e.g. `yml`, `nested_json`, `gettext`. */
  fileFormat: string
  /** Locale names, codes or ids to pull; empty means every locale of the project. */
  locales: string[]
  /**
   * The workflow's `locales` input when a config file defines the targets: it narrows each
   * target (one pinned to `locale_id` is skipped unless named), it never widens one.
   */
  localeFilter: string[]
  /** Phrase branch, if any. */
  branch?: string
  /** Tag names; with a `<tag>` placeholder one file is written per tag, else they filter keys. */
  tags: string[]
  /** Extra body fields for every download request (`format_options`, `encoding`, …). */
  params: Record<string, unknown>
  /** Config `locale_mapping`: Phrase locale name → what `<locale_name>` stands for in `file`. */
  localeMapping?: Record<string, string>
  /**
   * The directory `<file_path>` in `params.translation_key_prefix` is relative to: the config
   * file's (the Phrase CLI uses its working directory); '' for the repository root.
   */
  filePathBase?: string
}

export interface PullRequestSettings {
  /** Whether to commit and open a PR; false only writes files into the workspace. */
  create: boolean
  /** Base branch of the PR; undefined means the repository's default branch. */
  base?: string
  /** Head branch, reused across runs. */
  branch: string
  commitMessage: string
  title: string
  /** The user's part of the PR body; the generated change summary goes below it. */
  body: string
  labels: string[]
  assignees: string[]
  reviewers: string[]
  teamReviewers: string[]
  draft: boolean
  /** Close the PR and delete the branch once base already equals Phrase. */
  deleteBranch: boolean
  /**
   * Turn on GitHub's auto-merge with this method while the checks find nothing (undefined: off).
   * `graphqlUrl` is GITHUB_GRAPHQL_URL: the mutation exists only in GraphQL.
   */
  autoMerge?: { method: MergeMethod; graphqlUrl?: string }
  /** Who, when and where, for the last line of the generated section. */
  about?: RunAbout
}

export interface Settings {
  phrase: {
    token: string
    /** API base without a trailing slash, e.g. `https://api.phrase.com/v2`. */
    apiUrl: string
    /** Bounds the whole download phase, in milliseconds. */
    timeoutMs: number
    maxConcurrency: number
  }
  targets: Target[]
  github: {
    token: string
    /** REST base, from GITHUB_API_URL (GitHub Enterprise Server works the same way). */
    apiUrl: string
    /** GraphQL endpoint (GITHUB_GRAPHQL_URL); undefined: `<apiUrl>/graphql` as Octokit derives it. */
    graphqlUrl?: string
    owner: string
    repo: string
    /**
     * Milliseconds between GitHub write requests, from PHRASE_PULL_WRITE_SPACING_MS; undefined
     * keeps GitHub's asked-for spacing (1 s, 3 s before notifying writes). For local test doubles.
     */
    writeSpacingMs?: number
  }
  /** Absolute path of the checkout (GITHUB_WORKSPACE). */
  workspace: string
  /** Warnings found while reading the inputs, reported once the log is set up. */
  warnings: string[]
  pullRequest: PullRequestSettings
  /** Largest share (0..1] of a locale's existing keys a download may remove before the run stops. */
  maxKeyRemoval: number
  /** Locale names, codes or ids never downloaded nor written, whatever else selects them. */
  excludeLocales: string[]
  checks: {
    /** `warn` lists findings; `fail` stops before committing; `off` skips the checks. */
    mode: CheckMode
    /** The locale translations are checked against; undefined = each project's default locale. */
    sourceLocale?: string
  }
}
