/**
 * Document keys describe a whole file, not one translation: gettext's `[header] Language` and
 * `[header] Plural-Forms`, the locale a Rails file is filed under (`[locale]`). They take part in
 * the diff (changing one changes how every entry is read) but are not counted as translation
 * keys, so `max-key-removal` ratios stay about translations.
 */
import type { TranslationMap } from './types.js'

export const LOCALE_KEY = '[locale]'
const HEADER_PREFIX = '[header] '

export function headerKey(name: string): string {
  return HEADER_PREFIX + name
}

export function isDocumentKey(key: string): boolean {
  return key.charCodeAt(0) === 0x5b /* [ */ && (key === LOCALE_KEY || key.startsWith(HEADER_PREFIX))
}

/** How many translations a map holds: its keys less its document keys. */
export function translationCount(map: TranslationMap): number {
  let count = map.size
  for (const key of map.keys()) if (isDocumentKey(key)) count--
  return count
}
