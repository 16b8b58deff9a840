import { describe, it, expect } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { parserFor } from '../../src/files/formats/index.js'
import { canonicalXmlText } from '../../src/files/formats/xml.js'
import { fixture, fixtureText, utf8 } from './fixture.js'

const parse = (format: string, text: string) =>
  Object.fromEntries(parserFor(format)!.parse(text, {}))

describe('canonical XML text', () => {
  it('decodes entities and CDATA but keeps text and markup apart', () => {
    expect(canonicalXmlText('Tom &#38; Jerry &quot;&apos;&#xE9;&gt;')).toBe('Tom &amp; Jerry "\'é>')
    expect(canonicalXmlText('<![CDATA[<b>x</b> & y]]>')).toBe(
      canonicalXmlText('&lt;b&gt;x&lt;/b&gt; &amp; y')
    )
    expect(canonicalXmlText('<b>x</b>')).not.toBe(canonicalXmlText('&lt;b&gt;x&lt;/b&gt;'))
    expect(canonicalXmlText('a <g  b=\'2\' a="1" >x</g ><x/>')).toBe('a <g a="1" b="2">x</g><x/>')
    expect(canonicalXmlText('a<!-- note -->b')).toBe('ab')
    // Entities defined elsewhere (or not at all) stay as written, whatever their name.
    expect(canonicalXmlText('&custom; &constructor;')).toBe('&custom; &constructor;')
  })
})

describe('Android strings.xml', () => {
  it('reads strings, plurals (name.quantity) and arrays (name[i]), keeping inline markup', () => {
    expect(parse('xml', fixtureText('xml.de.xml'))).toEqual({
      app_name: 'My App',
      welcome: 'Willkommen, <xliff:g example="Jane" id="name">%1$s</xliff:g>!',
      bold_hint: 'Tippe auf <b>Speichern</b>',
      tom_and_jerry: 'Tom &amp; Jerry',
      escaped_markup: '&lt;b>kein Fett&lt;/b>',
      apostrophe: "Geht\\'s dir gut?",
      empty: '',
      'songs.one': '%d Lied',
      'songs.other': '%d Lieder',
      'planets[0]': 'Merkur',
      'planets[1]': 'Venus',
      'planets[2]': 'Erde'
    })
  })

  it('treats reordering, CDATA vs entities, attribute order and self-closing tags as unchanged', () => {
    expect(compareFile('xml', fixture('xml.de.xml'), fixture('xml.de.equivalent.xml')).status).toBe(
      'unchanged'
    )
  })

  it('lists exact changes, including markup added or removed and a plural form', () => {
    expect(compareFile('xml', fixture('xml.de.xml'), fixture('xml.de.changed.xml')).keys).toEqual({
      added: ['new_key'],
      changed: ['bold_hint', 'escaped_markup', 'songs.one'],
      removed: ['planets[2]']
    })
  })

  it('keeps other resource types apart as type/name', () => {
    const text =
      '<resources><string name="x">a</string><bool name="x">true</bool><string name="y" product="tablet">b</string></resources>'
    expect(parse('xml', text)).toEqual({ x: 'a', 'bool/x': 'true', 'y@tablet': 'b' })
  })

  it('notes malformed XML and files that are not resources', () => {
    const original = fixture('xml.de.xml')
    expect(
      compareFile('xml', original, utf8('<resources><string name="a">x</resources>')).note
    ).toMatch(/^could not parse downloaded file: invalid Android XML: .*closing tag/i)
    expect(compareFile('xml', original, utf8('<other/>')).note).toMatch(/no <resources> element/)
    expect(
      compareFile('xml', original, utf8('<resources><string>x</string></resources>')).note
    ).toMatch(/<string> without a name/)
  })

  it('refuses absurdly deep nesting', () => {
    const deep = `<resources><string name="a">${'<b>'.repeat(150)}${'</b>'.repeat(150)}</string>${'<x>'.repeat(150)}${'</x>'.repeat(150)}</resources>`
    expect(compareFile('xml', fixture('xml.de.xml'), utf8(deep)).note).toMatch(
      /^could not parse downloaded file: invalid Android XML/
    )
  })
})

describe('XLIFF', () => {
  it('1.2: keys by trans-unit id (inside groups too); the target is the value, source/state/notes annotate it', () => {
    const units = parse('xlf', fixtureText('xlf.de.xlf'))
    expect(Object.keys(units)).toEqual([
      'home.title',
      'home.greeting',
      'cart.empty',
      'untranslated'
    ])
    expect(units['home.greeting']).toBe(
      'Hallo <g id="1">%name%</g>\u0000state: translated\nsource: Hello <g id="1">%name%</g>\nnotes: Greeting with the user\'s name'
    )
    expect(units.untranslated).toBe('\u0000source: Later')
  })

  it('1.2: header churn is unchanged; a new target, a state change, added and removed units are listed', () => {
    expect(
      compareFile('xlf', fixture('xlf.de.xlf'), fixture('xlf.de.header-only.xlf')).status
    ).toBe('unchanged')
    expect(compareFile('xlf', fixture('xlf.de.xlf'), fixture('xlf.de.changed.xlf')).keys).toEqual({
      added: ['new.unit'],
      changed: ['cart.empty', 'untranslated'],
      removed: ['home.title']
    })
  })

  it('2.0: keys by unit id; segments and ignorables form the text', () => {
    const units = parse('xliff_2', fixtureText('xliff_2.de.xliff'))
    expect(units['home.title']).toBe(
      'Willkommen\u0000state: translated\nsource: Welcome\nnotes: Title of the home screen'
    )
    expect(units['two.sentences']?.split('\u0000')[0]).toBe(
      'Erster. Zweiter <ph dataRef="d1" id="1"/>.'
    )
    const changed = utf8(
      fixtureText('xliff_2.de.xliff').replace(
        '<target>Erster.</target>',
        '<target>Erstens.</target>'
      )
    )
    expect(compareFile('xliff_2', fixture('xliff_2.de.xliff'), changed).keys?.changed).toEqual([
      'two.sentences'
    ])
  })

  it('prefixes ids with the file when a document holds several files', () => {
    const text =
      '<xliff version="1.2"><file original="a"><body><trans-unit id="x"><target>1</target></trans-unit></body></file><file original="b"><body><trans-unit id="x"><target>2</target></trans-unit></body></file></xliff>'
    expect(parse('xlf', text)).toEqual({ 'a#x': '1', 'b#x': '2' })
  })
})

describe('XML properties', () => {
  it('reads entries by key with entities and CDATA decoded', () => {
    expect(parse('properties_xml', fixtureText('properties_xml.de.xml'))).toEqual({
      'home.title': 'Willkommen',
      tom: 'Tom & Jerry',
      cdata: '<b>fett</b>'
    })
    const changed = utf8(
      fixtureText('properties_xml.de.xml').replace(
        '<comment>Generated by Phrase</comment>',
        '<comment>Regenerated</comment>'
      )
    )
    expect(compareFile('properties_xml', fixture('properties_xml.de.xml'), changed).status).toBe(
      'unchanged'
    )
  })
})
