import { describe, expect, it } from '@jest/globals'
import { closestNames, didYouMean, editDistance } from '../src/suggest.js'

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['include_empty_translation', 'include_empty_translations', 1],
    ['YML', 'yml', 0]
  ])('%j → %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
    expect(editDistance(b, a)).toBe(distance)
  })
})

describe('closestNames', () => {
  const names = ['nested_json', 'simple_json', 'json', 'yml', 'yml_symfony']
  it('offers the nearest names first, and only near ones', () => {
    expect(closestNames('nested_jsn', names)).toEqual(['nested_json'])
    expect(closestNames('jsn', names)).toEqual(['json'])
    expect(closestNames('yaml', names)).toEqual(['yml'])
    expect(closestNames('gettext', names)).toEqual([])
  })
  it('words one or several suggestions', () => {
    expect(didYouMean('jsn', names)).toBe(' (did you mean "json"?)')
    expect(didYouMean('ab', ['ac', 'ad', 'ae', 'af'])).toBe(' (did you mean "ac", "ad" or "ae"?)')
    expect(didYouMean('gettext', names)).toBe('')
  })
})
