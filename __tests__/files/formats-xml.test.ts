import { describe, it, expect } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { parserFor } from '../../src/files/formats/index.js'
import { displayText } from '../../src/files/formats/value.js'
import { canonicalContent, readXml } from '../../src/files/formats/xml.js'
import { fixture, fixtureText, utf8 } from './fixture.js'

const parse = (format: string, text: string) =>
  Object.fromEntries(parserFor(format)!.parse(text, {}))

/** The canonical form of `raw` as the content of an element. */
const canonicalXmlText = (raw: string) => canonicalContent(readXml(`<v>${raw}</v>`, 'test'))

describe('canonical XML text', () => {
  it('decodes entities and CDATA but keeps text and markup apart', () => {
    expect(canonicalXmlText('Tom &#38; Jerry &quot;&apos;&#xE9;&gt;')).toBe('Tom &amp; Jerry "\'é>')
    expect(canonicalXmlText('<![CDATA[<b>x</b> & y]]>')).toBe(
      canonicalXmlText('&lt;b&gt;x&lt;/b&gt; &amp; y')
    )
    expect(canonicalXmlText('<b>x</b>')).not.toBe(canonicalXmlText('&lt;b&gt;x&lt;/b&gt;'))
    expect(canonicalXmlText('a <g  b=\'2\' a="1" >x</g ><x></x>')).toBe(
      'a <g a="1" b="2">x</g><x/>'
    )
    expect(canonicalXmlText('a<!-- note -->b<?pi x?>')).toBe('ab')
  })

  it('reads attribute values as the parser does: a ">" inside one is not the end of the tag', () => {
    expect(canonicalXmlText('<b a=">x">y</b>')).not.toBe(canonicalXmlText('<b b=">x">y</b>'))
    expect(canonicalXmlText('<b a="&lt;&amp;&quot;">y</b>')).toBe('<b a="&lt;&amp;&quot;">y</b>')
  })

  it('expands the entities the DOCTYPE declares, whatever the length of their names', () => {
    const doc = (body: string) =>
      canonicalContent(
        readXml(
          `<!DOCTYPE v [\n<!ENTITY an_entity_name_longer_than_twenty "My &amp; App">\n<!ENTITY nested "&an_entity_name_longer_than_twenty;!">\n<!ENTITY % parameter "x">\n]><v>${body}</v>`,
          'test'
        )
      )
    expect(doc('&an_entity_name_longer_than_twenty; &nested;')).toBe('My &amp; App My &amp; App!')
    expect(() => doc('&undeclared;')).toThrow(/Named entity isn't defined: &undeclared;/)
  })

  it('refuses an entity that expands without end ("billion laughs")', () => {
    const laughs = Array.from(
      { length: 10 },
      (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`
    ).join('\n')
    expect(() => readXml(`<!DOCTYPE v [<!ENTITY l0 "ha">${laughs}]><v>&l10;</v>`, 'test')).toThrow(
      /entities expand to more than the file can hold/
    )
    expect(() => readXml('<!DOCTYPE v [<!ENTITY a "&a;">]><v>&a;</v>', 'test')).toThrow(
      /refers to itself/
    )
  })
})

describe('Android strings.xml', () => {
  it('reads strings, plurals (name.quantity) and arrays (name[i]), keeping inline markup', () => {
    expect(parse('xml', fixtureText('xml.de.xml'))).toEqual({
      app_name: 'My App\u0000translatable="false"',
      welcome: 'Willkommen, <xliff:g example="Jane" id="name">%1$s</xliff:g>!',
      bold_hint: 'Tippe auf <b>Speichern</b>',
      tom_and_jerry: 'Tom &amp; Jerry',
      escaped_markup: '&lt;b>kein Fett&lt;/b>',
      apostrophe: "Geht's dir gut?",
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

  it('counts attributes that change how the build reads a value; not the ones that name it', () => {
    const file = (attributes: string, item = '') =>
      utf8(
        `<resources xmlns:tools="http://schemas.android.com/tools"><string name="p" ${attributes}>100%</string><plurals name="n" ${attributes}><item quantity="one" ${item}>1</item></plurals></resources>`
      )
    expect(compareFile('xml', file(''), file('formatted="false"')).keys?.changed).toEqual([
      'n.one',
      'p'
    ])
    expect(
      compareFile('xml', file('translatable="false"'), file('translatable="true"')).status
    ).toBe('changed')
    expect(compareFile('xml', file(''), file('tools:ignore="MissingTranslation"')).status).toBe(
      'changed'
    )
    expect(compareFile('xml', file('', 'tools:ignore="x"'), file('')).keys?.changed).toEqual([
      'n.one'
    ])
    // Attribute order and quoting are layout.
    expect(
      compareFile(
        'xml',
        file('formatted="false" translatable="false"'),
        file("translatable='false' formatted='false'")
      ).status
    ).toBe('unchanged')
    expect(
      parse('xml', '<resources><item name="x" type="id" format="integer">1</item></resources>')
    ).toEqual({
      'item/x': '1\u0000format="integer" type="id"'
    })
  })

  it('refuses a resource defined twice (the build would fail)', () => {
    expect(
      compareFile(
        'xml',
        fixture('xml.de.xml'),
        utf8('<resources><string name="a">1</string><string name="a">2</string></resources>')
      ).downloadError
    ).toMatch(/"a" is defined twice/)
    // The same name as another type, or for another product, is another resource.
    expect(() =>
      parse(
        'xml',
        '<resources><string name="a">1</string><bool name="a">true</bool><string name="a" product="tv">2</string></resources>'
      )
    ).not.toThrow()
  })

  it('notes malformed XML and files that are not resources', () => {
    const original = fixture('xml.de.xml')
    expect(
      compareFile('xml', original, utf8('<resources><string name="a">x</resources>')).note
    ).toMatch(/^could not parse downloaded file: invalid Android XML: missing end tag/i)
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

/**
 * What aapt2 compiles (AOSP frameworks/base tools/aapt2: ResourceParser.cpp FlattenXmlSubtree,
 * ResourceUtils.cpp StringBuilder::AppendText): each row's two spellings build the same string
 * resource, or not.
 */
describe('Android values as aapt2 compiles them', () => {
  const value = (xml: string) =>
    parserFor('xml')!
      .parse(
        `<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2"><string name="s">${xml}</string></resources>`,
        {}
      )
      .get('s')
  it.each<[string, string, string]>([
    ['\\uXXXX is the character (AppendUnicodeEscapeSequence)', '\\u00dcber', 'Über'],
    ['\\\' and \\" are the quote characters', 'Geht\\\'s \\"gut\\"', '"Geht\'s \\"gut\\""'],
    ['\\n and \\t are a line break and a tab', 'a\\nb\\tc', '"a\nb\tc"'],
    [
      '\\@ \\? \\# \\\\ are the characters themselves',
      'x \\@a \\?b \\#c \\\\d',
      'x @a ?b #c \\\\d'
    ],
    ['any other escaped character stands for itself', '\\q\\%', 'q%'],
    ['outside quotes a run of whitespace is one space', 'a \n\t  b', 'a b'],
    ['quotes keep whitespace and are not part of the text', '"a  b"', '"a "" b"'],
    ['an apostrophe inside quotes needs no escape', '"Geht\'s"', "Geht\\'s"],
    ['without spans, the value is trimmed', '  a  ', 'a'],
    ['character references are the characters', '&#220;ber &#x3C;', 'Über &lt;'],
    [
      '<xliff:g> is not a span: the whitespace rules run through it',
      'a <xliff:g id="x"> b</xliff:g>',
      'a <xliff:g id="x">b</xliff:g>'
    ]
  ])('%s', (_, first, second) => {
    expect(value(first)).toBe(value(second))
  })

  it.each<[string, string, string]>([
    ['a reference and an escaped @ (the text "@string/x")', '@string/x', '\\@string/x'],
    ['quoted spaces and collapsed ones', '"a  b"', 'a  b'],
    ['markup and escaped markup', '<b>x</b>', '&lt;b>x&lt;/b>'],
    [
      'an unescaped apostrophe (aapt2: "unescaped apostrophe") and an escaped one',
      "Geht's",
      "Geht\\'s"
    ],
    ['a span keeps the outer spaces (no trimming with spans)', ' <b>x</b> ', '<b>x</b>']
  ])('%s differ', (_, first, second) => {
    expect(value(first)).not.toBe(value(second))
  })

  it('keeps what aapt2 refuses as written, and says why', () => {
    expect(value("Geht's")).toBe("Geht's\u0000aapt2 error: unescaped apostrophe")
    expect(value('\\u00zz')).toBe('\\u00zz\u0000aapt2 error: invalid unicode escape sequence')
    expect(value('@string/x')).toBe('@string/x\u0000reference')
  })

  it('shows the text as aapt2 builds it', () => {
    expect(displayText(value('  \\u00dcber  "uns"\\n ')!)).toBe('Über uns\n')
  })

  it('expands the entities the file declares, long names too (valid XML that aapt2 compiles)', () => {
    const file = (name: string, body: string) =>
      utf8(
        `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE resources [\n  <!ENTITY ${name} "My App">\n]>\n<resources><string name="title">${body}</string></resources>`
      )
    const name = 'application_display_name_for_the_store'
    const comparison = compareFile('xml', file(name, `&${name}; Pro`), file(name, 'My App Pro'))
    expect(comparison).toMatchObject({ status: 'unchanged', keys: { changed: [] } })
    expect(compareFile('xml', file(name, `&${name};`), file(name, 'Other')).keys?.changed).toEqual([
      'title'
    ])
  })
})

describe('XLIFF', () => {
  it('1.2: keys by trans-unit id (inside groups too); the target is the value, its attributes, source and notes its metadata', () => {
    const units = parse('xlf', fixtureText('xlf.de.xlf'))
    expect(Object.keys(units)).toEqual([
      '[locale]',
      'home.title',
      'home.greeting',
      'cart.empty',
      'untranslated'
    ])
    expect(units['[locale]']).toBe('de')
    expect(units['home.greeting']).toBe(
      'Hallo <g id="1">%name%</g>\u0000target: state="translated"\nsource: Hello <g id="1">%name%</g>\nnotes: Greeting with the user\'s name'
    )
    expect(displayText(units.untranslated)).toBe('')
    expect(units.untranslated).toBe('\u0000string:\u0000target: none\nsource: Later')
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

  const xlf = (body: string, language = 'de') =>
    utf8(
      `<xliff version="1.2"><file original="m" source-language="en" target-language="${language}"><body>${body}</body></file></xliff>`
    )

  it('1.2: approved, translate and state count; an empty target is not a missing one', () => {
    const unit = (attributes: string, target = '<target state="translated">Hallo</target>') =>
      xlf(`<trans-unit id="a" ${attributes}><source>Hello</source>${target}</trans-unit>`)
    for (const [before, after] of [
      [unit(''), unit('approved="yes"')],
      [unit('approved="no"'), unit('approved="yes"')],
      [unit(''), unit('translate="no"')],
      [unit(''), unit('', '<target state="final">Hallo</target>')],
      [
        unit(''),
        unit('', '<target state="translated" state-qualifier="exact-match">Hallo</target>')
      ],
      [unit('', '<target/>'), unit('', '')],
      [
        xlf('<group id="g"><trans-unit id="a"><target>x</target></trans-unit></group>'),
        xlf(
          '<group id="g" translate="no"><trans-unit id="a"><target>x</target></trans-unit></group>'
        )
      ]
    ]) {
      expect(compareFile('xlf', before, after).keys?.changed).toEqual(['a'])
    }
    expect(
      compareFile(
        'xlf',
        unit('approved="yes" translate="yes"'),
        unit("translate='yes'  approved='yes'")
      ).status
    ).toBe('unchanged')
  })

  it('1.2: a move to another target-language is a change of [locale]', () => {
    const body = '<trans-unit id="a"><target>x</target></trans-unit>'
    expect(compareFile('xlf', xlf(body), xlf(body, 'de-DE')).keys?.changed).toEqual(['[locale]'])
  })

  it('1.2: the same id in two groups is two keys, named by their groups', () => {
    const both = (first: string, second: string) =>
      xlf(
        `<group id="cart"><trans-unit id="total"><target>${first}</target></trans-unit></group><group id="invoice"><trans-unit id="total"><target>${second}</target></trans-unit></group>`
      )
    expect(parse('xlf', both('Summe', 'Gesamt').toString())).toEqual({
      '[locale]': 'de',
      'cart/total': 'Summe',
      'invoice/total': 'Gesamt'
    })
    expect(
      compareFile('xlf', both('Summe', 'Gesamt'), both('Summe', 'Betrag')).keys?.changed
    ).toEqual(['invoice/total'])
    // Twice in one place cannot be told apart: refused.
    expect(() =>
      parse(
        'xlf',
        xlf(
          '<trans-unit id="a"><target>1</target></trans-unit><trans-unit id="a"><target>2</target></trans-unit>'
        ).toString()
      )
    ).toThrow(/unit id "a" is used twice/)
  })

  it('2.0: keys by unit id; segments and ignorables form the text, their boundaries and states count', () => {
    const units = parse('xliff_2', fixtureText('xliff_2.de.xliff'))
    expect(displayText(units['home.title'])).toBe('Willkommen')
    expect(units['home.title']).toMatch(
      /notes: \(category="description"\) Title of the home screen/
    )
    expect(displayText(units['two.sentences'])).toBe('Erster. Zweiter <ph dataRef="d1" id="1"/>.')
    const changed = utf8(
      fixtureText('xliff_2.de.xliff').replace(
        '<target>Erster.</target>',
        '<target>Erstens.</target>'
      )
    )
    expect(compareFile('xliff_2', fixture('xliff_2.de.xliff'), changed).keys?.changed).toEqual([
      'two.sentences'
    ])
    const unit = (segments: string) =>
      utf8(
        `<xliff version="2.0" srcLang="en" trgLang="de"><file id="f"><unit id="u">${segments}</unit></file></xliff>`
      )
    const split = unit(
      '<segment><source>A</source><target>Eins.</target></segment><segment><source>B</source><target>Zwei.</target></segment>'
    )
    const joined = unit('<segment><source>AB</source><target>Eins.Zwei.</target></segment>')
    const resplit = unit(
      '<segment><source>A</source><target>Eins.Zw</target></segment><segment><source>B</source><target>ei.</target></segment>'
    )
    const final = unit(
      '<segment state="final"><source>A</source><target>Eins.</target></segment><segment><source>B</source><target>Zwei.</target></segment>'
    )
    for (const other of [joined, resplit, final]) {
      expect(compareFile('xliff_2', split, other).keys?.changed).toEqual(['u'])
    }
  })

  it('2.0: original data behind a placeholder counts', () => {
    const unit = (data: string) =>
      utf8(
        `<xliff version="2.0" srcLang="en" trgLang="de"><file id="f"><unit id="u"><originalData><data id="d1">${data}</data></originalData><segment><source>Hi <ph id="1" dataRef="d1"/></source><target>Hallo <ph id="1" dataRef="d1"/></target></segment></unit></file></xliff>`
      )
    expect(compareFile('xliff_2', unit('{name}'), unit('{user}')).keys?.changed).toEqual(['u'])
  })

  it('reads a bare & as text, as Angular does; Symfony (libxml2) refuses the file', () => {
    const unit = (target: string) =>
      utf8(
        `<xliff version="2.0" srcLang="en" trgLang="de"><file id="f"><unit id="u"><segment><source>Terms &amp; conditions</source><target>${target}</target></segment></unit></file></xliff>`
      )
    expect(
      compareFile('xliff_2', unit('AGB & Datenschutz'), unit('AGB &amp; Datenschutz')).status
    ).toBe('unchanged')
    expect(
      compareFile('xliff_2', unit('AGB & Daten'), unit('AGB & Datenschutz')).keys?.changed
    ).toEqual(['u'])
    // CDATA and references are read as ever.
    expect(compareFile('xliff_2', unit('<![CDATA[A & B]]>'), unit('A &#38; B')).status).toBe(
      'unchanged'
    )
    const xlf = utf8(
      '<xliff version="1.2"><file original="m" target-language="de"><body><trans-unit id="a"><target>A & B</target></trans-unit></body></file></xliff>'
    )
    expect(parse('xlf', xlf.toString()).a).toBe('A &amp; B')
    expect(() => parse('symfony_xliff', xlf.toString())).toThrow(/invalid XLIFF/)
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
