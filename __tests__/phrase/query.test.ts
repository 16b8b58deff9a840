import { describe, expect, it } from '@jest/globals'
import { appendQuery, nextPageUrl } from '../../src/phrase/query.js'

describe('appendQuery', () => {
  it('writes nested objects the way the sync endpoint expects (format_options[x]=y)', () => {
    const search = new URLSearchParams()
    appendQuery(search, {
      file_format: 'yml',
      include_empty_translations: true,
      format_options: { omit_separator_space: false, nested: { deep: 1 } },
      tags: 'a,b',
      locale_ids: ['x', 'y'],
      branch: undefined,
      encoding: null
    })
    expect([...search.entries()]).toEqual([
      ['file_format', 'yml'],
      ['include_empty_translations', 'true'],
      ['format_options[omit_separator_space]', 'false'],
      ['format_options[nested][deep]', '1'],
      ['tags', 'a,b'],
      ['locale_ids[]', 'x'],
      ['locale_ids[]', 'y']
    ])
  })
})

describe('nextPageUrl', () => {
  const next = 'https://api.phrase.com/v2/projects/p/locales?page=2&per_page=100'
  it('reads rel=next unquoted (as the live service writes it) and quoted', () => {
    expect(
      nextPageUrl(`<https://x/first>; rel=first, <${next}>; rel=next, <https://x/l>; rel=last`)
    ).toBe(next)
    expect(nextPageUrl(`<${next}>; rel="next", <https://x/l>; rel="last"`)).toBe(next)
    expect(nextPageUrl(`<${next}>; rel="next last"`)).toBe(next)
    expect(nextPageUrl(`<${next}>;rel=NEXT`)).toBe(next)
  })

  it('returns nothing on the last page or without a header', () => {
    expect(nextPageUrl('<https://x/first>; rel=first, <https://x/prev>; rel=prev')).toBeUndefined()
    expect(nextPageUrl(`<${next}>; rel=nextish`)).toBeUndefined()
    expect(nextPageUrl(null)).toBeUndefined()
    expect(nextPageUrl('')).toBeUndefined()
  })
})
