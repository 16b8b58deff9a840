import { describe, it, expect } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { parserFor } from '../../src/files/formats/index.js'
import { fixture, fixtureText, utf8 } from './fixture.js'

describe('.properties', () => {
  it('reads separators, escapes, continuation lines and both comment styles', () => {
    expect(
      Object.fromEntries(
        parserFor('properties')!.parse(fixtureText('properties.de.properties'), {})
      )
    ).toEqual({
      'home.title': 'Willkommen',
      'home.subtitle': 'Schön, dass du da bist',
      'multi.line': 'Erste Zeile zweite Zeile',
      'colon.separated': 'Doppelpunkt',
      'escaped key': 'Wert mit = Gleichheitszeichen'
    })
  })

  it('treats reordering, respelled escapes, spacing and comments as unchanged', () => {
    expect(
      compareFile(
        'properties',
        fixture('properties.de.properties'),
        fixture('properties.de.equivalent.properties')
      ).status
    ).toBe('unchanged')
  })

  it('lists exact changes', () => {
    const changed = utf8(
      fixtureText('properties.de.properties')
        .replace('home.title=Willkommen', 'home.title=Hallo')
        .replace(/^colon.*\n/m, '') + 'new.key=Neu\n'
    )
    expect(compareFile('properties', fixture('properties.de.properties'), changed)).toEqual({
      status: 'changed',
      keys: { added: ['new.key'], changed: ['home.title'], removed: ['colon.separated'] },
      previousKeyCount: 5,
      nextKeyCount: 5
    })
  })

  it('keeps a "__proto__" key as data', () => {
    expect(parserFor('properties')!.parse('__proto__=x\n', {}).get('__proto__')).toBe('x')
  })
})
