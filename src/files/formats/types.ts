import type { FileBytes } from '../file-bytes.js'

/** Flattened key → value; plural forms, contexts and array items are distinct keys. */
export type TranslationMap = Map<string, string>

export interface ParseContext {
  localeName?: string
  /** The `encoding` download parameter, when one was given (see decode.ts). */
  encoding?: string
}

/** Unsorted key changes between two files and their key counts. */
export interface KeyDiff {
  added: string[]
  changed: string[]
  removed: string[]
  previousKeyCount: number
  nextKeyCount: number
  /** Both versions' values of the changed keys and the new value of added keys (nothing else). */
  values?: Map<string, ValuePair>
  /** The changed keys' values were more than VALUE_CHARS of text: none are given. */
  valuesOmitted?: boolean
}

/** A key's value before and after (raw map values; reports read them through displayText). */
export interface ValuePair {
  before?: string
  after?: string
}

export interface FormatParser {
  /** Throws (with a message naming the problem) when the content is not valid for the format. */
  parse(content: string, context: ParseContext): TranslationMap
  /**
   * Optional shortcut for large files: the same result as diffing the two parsed maps, found
   * with less work. Returns undefined whenever it cannot be sure (invalid or unusual input);
   * the caller then parses both files.
   */
  diff?(previous: FileBytes, next: FileBytes, context: ParseContext): KeyDiff | undefined
  /**
   * Optional, for large files: hands `visitor` every key and value `parse` would return for the
   * decoded `bytes`, without holding them all; false when it could not (it may have handed some
   * already, or the bytes do not decode): call `parse`.
   */
  visit?(
    bytes: FileBytes,
    context: ParseContext,
    visitor: (key: string, value: string) => void
  ): boolean
}
