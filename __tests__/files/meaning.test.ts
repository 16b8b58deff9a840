/**
 * No false "unchanged" (issue 11, item 3), for every format with a parser: randomised documents,
 * rendered in equivalent ways (must compare unchanged) and edited in ways that change what a
 * consumer reads (must compare changed). Seeds are fixed, so a failure reproduces; each failure
 * prints the seed, the round and both texts.
 */
import { describe, expect, it } from '@jest/globals'
import { checkMeaning, type FormatModel } from './meaning.js'
import { arbModel, goI18nModel, nestedJsonModel } from './models/json.js'
import { railsModel, symfonyModel } from './models/yaml.js'

const MODELS: Array<FormatModel<never>> = [
  nestedJsonModel,
  arbModel,
  goI18nModel,
  railsModel,
  symfonyModel
] as Array<FormatModel<never>>

describe('no false unchanged, no false changed', () => {
  MODELS.forEach((model, index) => {
    it(model.format, () => {
      const run = checkMeaning(model, 20260700 + index)
      expect(run.rounds).toBeGreaterThan(100)
      if (model.format !== 'go_i18n') expect(run.shortcuts).toBeGreaterThan(200)
    })
  })
})
