/**
 * Translation checks on single texts: a table of what translators really break (placeholders,
 * ICU plurals, tags, empty text) beside what must pass (reordered printf, plural forms without
 * the count, prose with percent signs and braces). ICU behaviour follows the formatjs parser:
 * https://formatjs.github.io/docs/icu-messageformat-parser
 */
import { describe, expect, it } from '@jest/globals'
import { looksLikeIcu } from '../../src/checks/icu.js'
import { placeholders } from '../../src/checks/placeholders.js'
import { tagSummary } from '../../src/checks/tags.js'
import { pluralForm, sourceTextFor, textProblems } from '../../src/checks/translation.js'

/** "message token" strings, compact to read in a table. */
function problems(text: string, source: string | undefined, mayDrop = false): string[] {
  return textProblems(text, source, mayDrop).map(p =>
    p.token === undefined ? p.message : `${p.message} ${p.token}`
  )
}

describe('placeholders', () => {
  it.each([
    ['printf', 'Hello %s, you have %d new', ['%1$s', '%2$d']],
    ['positional printf (Android)', 'Hallo %2$s und %1$s', ['%2$s', '%1$s']],
    ['iOS', 'Hi %@ (%lld)', ['%1$@', '%2$lld']],
    ['Ruby', 'Total: %{amount} %<count>d', ['%{amount}', '%<count>']],
    ['i18next', 'Hi {{name}}, {{- html}} {{count, number}}', ['{{name}}', '{{html}}', '{{count}}']],
    ['braces', 'Hi {name} {0}', ['{name}', '{0}']],
    ['a literal percent sign', '100 %% sure, 50 % de réduction', []],
    // Python's `%` operator: a named mapping key, then flags and the conversion.
    ['Python', 'Hallo %(name)s, %(count) 5d neu', ['%(name)s', '%(count)d']],
    // Symfony's translator replaces `%name%` as a whole (strtr with the parameter names).
    [
      'Symfony',
      'Hallo %name%, dein %email% und %user.first_name%',
      ['%name%', '%email%', '%user.first_name%']
    ],
    ['printf then a literal percent sign, not Symfony', 'Akku: %lld%% und %d%', ['%1$lld', '%2$d']]
  ])('%s', (_, text, expected) => {
    expect([...placeholders(text).keys()]).toEqual(expected)
  })
})

describe('textProblems', () => {
  it.each<[string, string, string | undefined, string[]]>([
    ['unchanged placeholders', 'Total : %{amount}', 'Total: %{amount}', []],
    [
      'a dropped {count}',
      'Artikel im Warenkorb',
      '{count} items in the cart',
      ['placeholder missing {count}']
    ],
    ['a new placeholder', 'Hallo %{name}', 'Hello', ['placeholder not in the source %{name}']],
    [
      'a renamed placeholder',
      'Hallo {nom}',
      'Hello {name}',
      ['placeholder missing {name}', 'placeholder not in the source {nom}']
    ],
    ['reordered printf', '%2$s von %1$s', '%s of %s', []],
    ['a lost second printf', '%s von', '%s of %s', ['placeholder missing %s']],
    ['iOS %@ kept', 'Hallo %@', 'Hello %@', []],
    ['a Symfony placeholder kept', 'Ihre E-Mail: %email%', 'Your email: %email%', []],
    [
      'a Symfony placeholder lost',
      'Ihre E-Mail',
      'Your email: %email%',
      ['placeholder missing %email%']
    ],
    [
      'a Python placeholder renamed',
      'Hallo %(nom)s',
      'Hello %(name)s',
      ['placeholder missing %(name)s', 'placeholder not in the source %(nom)s']
    ],
    ['i18next double braces', 'Hallo {{name}}', 'Hello {{name}}', []],
    [
      'i18next braces halved',
      'Hallo {name}',
      'Hello {{name}}',
      ['placeholder missing {{name}}', 'placeholder not in the source {name}']
    ],
    [
      'a valid ICU plural',
      '{count, plural, one {# Artikel} other {# Artikel}}',
      '{count, plural, one {# item} other {# items}}',
      []
    ],
    [
      'a broken ICU plural',
      '{count, plural, one {# Artikel} other {# Artikel}',
      '{count, plural, one {# item} other {# items}}',
      [
        'ICU message does not parse: "}" missing at the end, to close the argument that opens at character 1'
      ]
    ],
    [
      'an ICU argument left open in the middle',
      'Hallo {name, select, other {du}',
      'Hello {name, select, other {you}}',
      [
        'ICU message does not parse: "}" missing at the end, to close the argument that opens at character 7'
      ]
    ],
    [
      'an ICU plural with a misspelt type',
      '{count, plurl, one {# item} other {# items}}',
      '{count, plural, one {# item} other {# items}}',
      ['ICU message does not parse: invalid argument type at characters 9–13']
    ],
    [
      'an ICU plural without other',
      '{count, plural, one {# Artikel}}',
      '{count, plural, one {# item} other {# items}}',
      ['ICU message does not parse: missing other clause at character 32']
    ],
    [
      'an ICU plural turned into text',
      '{count} Artikel',
      '{count, plural, one {# item} other {# items}}',
      ['plural argument missing count']
    ],
    [
      'a renamed ICU plural argument',
      '{n, plural, one {# Artikel} other {# Artikel}}',
      '{count, plural, one {# item} other {# items}}',
      [
        'plural argument missing count',
        'plural argument not in the source n',
        'placeholder missing {count}',
        'placeholder not in the source {n}'
      ]
    ],
    [
      'select became plural',
      '{g, plural, one {x} other {y}}',
      '{g, select, male {he} other {they}}',
      ['select argument became plural g']
    ],
    [
      'words in plural branches are not placeholders',
      '{count, plural, one {{name} hat einen} other {{name} hat #}}',
      '{count, plural, one {{name} has one} other {{name} has #}}',
      []
    ],
    ['balanced tags', 'Klicke <a href="/x">hier</a><br>', 'Click <a href="/x">here</a><br>', []],
    ['an unclosed tag', '<b>Achtung', '<b>Warning</b>', ['tag not closed <b>']],
    [
      'a stray closing tag',
      'Achtung</b>',
      '<b>Warning</b>',
      ['closing tag without an opening one </b>', 'tag missing <b>']
    ],
    [
      'misnested tags',
      '<b><i>x</b></i>',
      '<b><i>x</i></b>',
      ['tag not closed <i>', 'closing tag without an opening one </i>']
    ],
    ['a new tag', '<script>x</script>', 'x', ['tag not in the source <script>']],
    ['numbered tags (react-i18next)', '<0>Hallo</0> <1>Welt</1>', '<0>Hello</0> <1>world</1>', []],
    ['prose with angle brackets', 'a < b und c > d', 'a < b and c > d', []],
    ['an empty translation', '  ', 'Hello', ['empty translation; the source has text']],
    ['empty where the source is empty too', '', '', []],
    [
      'no source: broken ICU still found',
      '{n, plural, one {x}}',
      undefined,
      ['ICU message does not parse: missing other clause at character 20']
    ],
    ['no source: unbalanced tags still found', '<b>x', undefined, ['tag not closed <b>']],
    ['no source: placeholders are not judged', 'x', undefined, []]
  ])('%s', (_, text, source, expected) => {
    expect(problems(text, source)).toEqual(expected)
  })

  it('lets plural forms other than `other` drop placeholders, never gain them', () => {
    expect(problems('Ein Artikel', '%{count} items', true)).toEqual([])
    expect(problems('%{n} Artikel', '%{count} items', true)).toEqual([
      'placeholder not in the source %{n}'
    ])
  })
})

describe('plural forms', () => {
  it.each([
    ['cart.items.one', { otherKey: 'cart.items.other', mayDropPlaceholders: true }],
    ['cart.items.other', { otherKey: 'cart.items.other', mayDropPlaceholders: false }],
    ['items_few', { otherKey: 'items_other', mayDropPlaceholders: true }],
    ['%d file[0]', { otherKey: '%d file[1]', mayDropPlaceholders: true }],
    ['%d file[2]', { otherKey: '%d file[1]', mayDropPlaceholders: false }],
    ['phone', undefined]
  ])('%s', (key, expected) => {
    expect(pluralForm(key)).toEqual(expected)
  })

  it('checks a form the source lacks against the source’s `other` form', () => {
    const source = new Map([
      ['items.one', '1 item'],
      ['items.other', '%{count} items']
    ])
    expect(sourceTextFor('items.few', key => source.get(key))).toEqual({
      text: '%{count} items',
      mayDropPlaceholders: true
    })
    expect(sourceTextFor('items.one', key => source.get(key)).text).toBe('1 item')
  })
})

describe('what counts as ICU or tags', () => {
  it('parses as ICU only texts with a typed argument', () => {
    expect(looksLikeIcu('{count, plural, one {#} other {#}}')).toBe(true)
    expect(looksLikeIcu('{ price , number }')).toBe(true)
    expect(looksLikeIcu('Hello {name}, {a, b}')).toBe(false)
    expect(looksLikeIcu('{{count}} items')).toBe(false)
  })
  it('reads void and self-closing tags as closed', () => {
    expect(tagSummary('a<br>b<img src="x"/><hr />').unbalanced).toEqual([])
  })
})
