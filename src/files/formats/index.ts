/**
 * Registry of format parsers by Phrase `file_format` api_name. Formats without a parser are
 * compared byte for byte (after line-ending normalisation).
 */
import { arbParser, goI18nParser, jsonParser } from './json.js'
import { gettextParser } from './gettext.js'
import { propertiesParser, propertiesXmlParser } from './properties.js'
import { stringsParser } from './strings.js'
import { stringsdictParser } from './stringsdict.js'
import type { FormatParser } from './types.js'
import { androidXmlParser } from './xml-android.js'
import { symfonyXliffParser, xliffParser } from './xliff.js'
import { railsYamlParser, yamlParser } from './yaml.js'

export type { FormatParser, ParseContext, TranslationMap } from './types.js'

const PARSERS: ReadonlyMap<string, FormatParser> = new Map([
  ['simple_json', jsonParser],
  ['nested_json', jsonParser],
  ['json', jsonParser],
  ['i18next', jsonParser],
  ['i18next_4', jsonParser],
  ['react_simple_json', jsonParser],
  ['react_nested_json', jsonParser],
  ['angular_translate', jsonParser],
  ['chrome_json', jsonParser],
  ['go_i18n', goI18nParser],
  ['arb', arbParser],
  ['yml', railsYamlParser],
  ['yml_symfony', yamlParser],
  ['yml_symfony2', yamlParser],
  ['yaml', yamlParser],
  ['gettext', gettextParser],
  ['gettext_template', gettextParser],
  ['strings', stringsParser],
  ['stringsdict', stringsdictParser],
  ['xml', androidXmlParser],
  ['properties', propertiesParser],
  ['properties_xml', propertiesXmlParser],
  ['xlf', xliffParser],
  ['xliff', xliffParser],
  ['xliff_2', xliffParser],
  ['symfony_xliff', symfonyXliffParser]
])

export const SEMANTIC_FORMATS: readonly string[] = Object.freeze([...PARSERS.keys()])

export function parserFor(fileFormat: string): FormatParser | undefined {
  return PARSERS.get(fileFormat.trim().toLowerCase())
}
