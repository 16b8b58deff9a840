/**
 * No false "unchanged" (issue 11, item 3), for every format with a parser: randomised documents,
 * rendered in equivalent ways (must compare unchanged) and edited in ways that change what a
 * consumer reads (must compare changed). Seeds are fixed, so a failure reproduces; each failure
 * prints the seed, the round and both texts.
 */
import { describe, expect, it } from '@jest/globals'
import { parserFor } from '../../src/files/formats/index.js'
import { checkMeaning, type FormatModel } from './meaning.js'
import { gettextModel } from './models/gettext.js'
import { propertiesModel, stringsModel } from './models/text-formats.js'
import {
  androidModel,
  propertiesXmlModel,
  stringsdictModel,
  xliff12Model,
  xliff2Model
} from './models/xml-formats.js'
import { arbModel, goI18nModel, nestedJsonModel } from './models/json.js'
import { railsModel, symfonyModel } from './models/yaml.js'

const MODELS: Array<FormatModel<never>> = [
  nestedJsonModel,
  arbModel,
  goI18nModel,
  railsModel,
  symfonyModel,
  gettextModel,
  stringsModel,
  propertiesModel,
  androidModel,
  propertiesXmlModel,
  stringsdictModel,
  xliff12Model,
  xliff2Model
] as Array<FormatModel<never>>

describe('no false unchanged, no false changed', () => {
  MODELS.forEach((model, index) => {
    it(model.format, () => {
      const run = checkMeaning(model, 20260700 + index)
      expect(run.rounds).toBeGreaterThan(60)
      // Where the format has a diff shortcut, it was compared with the full parse every time.
      if (parserFor(model.format)!.diff) expect(run.shortcuts).toBeGreaterThan(150)
    })
  })
})
