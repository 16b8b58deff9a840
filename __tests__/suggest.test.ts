import { describe, expect, it } from '@jest/globals'
import { closestNames } from '../src/suggest.js'

describe('closestNames', () => {
  const formats = [
    'yml',
    'yml_symfony',
    'nested_json',
    'simple_json',
    'i18next',
    'gettext',
    'strings'
  ]

  it('puts a name that differs only in case first', () => {
    expect(closestNames('DE', ['de-DE', 'de', 'fr'])).toEqual(['de', 'de-DE'])
  })

  it('finds names that contain what was written, shortest first', () => {
    expect(closestNames('json', formats)).toEqual(['nested_json', 'simple_json'])
  })

  it('finds names a typo away, and nothing far off', () => {
    expect(closestNames('jsn', ['json', 'xml'])).toEqual(['json'])
    expect(closestNames('nested-json', formats)).toEqual(['nested_json'])
    expect(closestNames('yaml', formats)).toEqual(['yml'])
    expect(closestNames('xliff', formats)).toEqual([])
    expect(closestNames('', formats)).toEqual([])
  })

  it('returns at most `max` names, each once', () => {
    expect(closestNames('a', ['a', 'A', 'ab', 'abc', 'abcd'], 2)).toEqual(['a', 'A'])
  })
})
