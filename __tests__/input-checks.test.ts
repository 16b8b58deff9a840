import { describe, expect, it } from '@jest/globals'
import { checkProjectId, checkTimeoutUnit, checkTokenUrl, isLoopback } from '../src/input-checks.js'

describe('checkProjectId', () => {
  it('passes an id through, trimmed', () => {
    expect(checkProjectId(' 0123456789abcdef0123456789abcdef ', 'project-id')).toBe(
      '0123456789abcdef0123456789abcdef'
    )
  })

  it('says what to write instead of a pasted web-app link', () => {
    expect(() =>
      checkProjectId('https://app.phrase.com/accounts/acme/projects/shop/editor', 'project-id')
    ).toThrow(
      'project-id: "https://app.phrase.com/accounts/acme/projects/shop/editor" is a link, not a project ID; write the project ID instead, from Project settings → API in Phrase Strings (32 hexadecimal characters)'
    )
    expect(() =>
      checkProjectId(
        'https://app.phrase.com/accounts/acme/projects/0123456789abcdef0123456789ABCDEF/keys',
        'project-id'
      )
    ).toThrow('write the project ID instead: 0123456789abcdef0123456789ABCDEF')
  })

  it('explains that an environment variable reference is not expanded', () => {
    for (const value of ['${PHRASE_PROJECT_ID}', '$PHRASE_PROJECT_ID']) {
      expect(() => checkProjectId(value, 'config: .phrase.yml: phrase.project_id')).toThrow(
        `config: .phrase.yml: phrase.project_id: "${value}" is an environment variable reference, which neither the Phrase CLI nor this action expands; set the project-id input`
      )
    }
  })
})

describe('checkTimeoutUnit', () => {
  it.each([
    ['10m', 600],
    ['10 min', 600],
    ['1h', 3600],
    ['1.5 hours', 5400],
    ['90s', 90],
    ['45 seconds', 45],
    ['500ms', 1]
  ])('%j: says it is seconds and gives the number', (text, seconds) => {
    expect(() => checkTimeoutUnit(text, 'timeout')).toThrow(
      `timeout: "${text}" has a unit, but timeout is a number of seconds; write ${seconds}`
    )
  })

  it.each(['600', '', 'soon', '10 parsecs'])('leaves %j to the number check', text => {
    expect(() => checkTimeoutUnit(text, 'timeout')).not.toThrow()
  })
})

describe('checkTokenUrl', () => {
  it.each([
    'https://api.phrase.com/v2',
    'http://127.0.0.1:8080/v2',
    'http://127.1.2.3/v2',
    'http://localhost:3000',
    'http://LOCALHOST/v2',
    'http://[::1]:9000/v2',
    'http://127.1/v2'
  ])('accepts %s', url => {
    expect(() => checkTokenUrl(new URL(url), 'api-url')).not.toThrow()
  })

  it.each([
    'http://api.phrase.com/v2',
    'http://10.0.0.5/v2',
    'http://128.0.0.1/v2',
    'http://localhost.example.com/v2',
    'http://127.0.0.1.nip.io/v2',
    'http://[::2]/v2'
  ])('refuses %s: the token would travel in clear text', url => {
    expect(() => checkTokenUrl(new URL(url), 'api-url')).toThrow(
      /^api-url: "http:\/\/[^"]+" would send the Phrase token in clear text; use https:\/\/\S+ \(plain http:\/\/ is accepted only for a loopback address such as 127\.0\.0\.1\)$/
    )
  })

  it('knows loopback names and addresses', () => {
    expect(['localhost', '127.0.0.1', '[::1]', '::1'].every(isLoopback)).toBe(true)
    expect(['0.0.0.0', '::', 'example.com', '127.0.0.1.example'].some(isLoopback)).toBe(false)
  })
})
