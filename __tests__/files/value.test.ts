import { describe, expect, it } from '@jest/globals'
import { scalarValue } from '../../src/files/formats/flatten.js'
import { displayText, withMeta } from '../../src/files/formats/value.js'

describe('displayText', () => {
  it('is the text itself when there is no metadata', () => {
    expect(displayText('Hallo %{name}')).toBe('Hallo %{name}')
  })
  it('drops metadata attached with withMeta', () => {
    const value = withMeta('100%', 'formatted=false')
    expect(value).not.toBe('100%')
    expect(displayText(value)).toBe('100%')
  })
  it('shows a typed scalar as its value', () => {
    expect(displayText(scalarValue(true))).toBe('true')
    expect(displayText(scalarValue(8))).toBe('8')
    expect(scalarValue(true)).not.toBe(scalarValue('true'))
  })
  it('keeps empty text with metadata apart from a typed scalar', () => {
    const value = withMeta('', 'state: new')
    expect(displayText(value)).toBe('')
    expect(value).not.toBe(withMeta('', 'state: final'))
    expect(value).not.toBe('')
  })
  it('withMeta without metadata keeps the text', () => {
    expect(withMeta('x', undefined)).toBe('x')
    expect(withMeta('x', '')).toBe('x')
  })
})
