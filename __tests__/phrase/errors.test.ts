import { describe, expect, it } from '@jest/globals'
import {
  apiError,
  isExpired,
  isMissingWriteScope,
  ResultExpiredError,
  type RequestSubject
} from '../../src/phrase/errors.js'

const create: RequestSubject = {
  action: 'start a download of locale "de" of project "p1"',
  notFound: 'project "p1" or its locale "de"',
  scope: 'write',
  operation: 'createDownload'
}
const list: RequestSubject = {
  action: 'list the locales of project "p1"',
  notFound: 'project "p1"',
  scope: 'read',
  operation: 'listLocales'
}

describe('apiError', () => {
  it('429 reports which limit Phrase says was exceeded (X-Rate-Limit-Reason), quoted and printable', () => {
    const said = new Headers({ 'X-Rate-Limit-Reason': 'concurrency' })
    expect(apiError(429, '{"message":"Too many"}', create, { headers: said }).message).toBe(
      'Phrase kept refusing the request to start a download of locale "de" of project "p1" with 429 Too Many Requests (Phrase says the limit exceeded is "concurrency" (X-Rate-Limit-Reason)).'
    )
    expect(apiError(429, '', create, { headers: new Headers() }).message).toMatch(
      /\(rate or concurrency limit\)\.$/
    )
    const odd = new Headers({ 'X-Rate-Limit-Reason': `x\u00e9${'y'.repeat(200)}` })
    expect(apiError(429, '', create, { headers: odd }).message).toMatch(/is "xy{99}…"/)
  })

  it('401 says the token is bad', () => {
    const error = apiError(401, '{"message":"Unauthorized"}', list)
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/token/)
    expect(error.message).toMatch(/invalid|expired/)
  })

  it('401 at one data centre names the other: EU and US accounts are separate', () => {
    expect(apiError(401, '', list, { host: 'api.phrase.com' }).message).toContain(
      'accounts in the US data centre need api-url: https://api.us.app.phrase.com/v2.'
    )
    expect(apiError(401, '', list, { host: 'api.us.app.phrase.com' }).message).toContain(
      'accounts in the EU data centre use the default api-url, https://api.phrase.com/v2.'
    )
    expect(apiError(401, '', list, { host: 'phrase.internal:8443' }).message).not.toMatch(
      /data centre/
    )
  })

  it('403 names the scope the endpoint needs', () => {
    expect(apiError(403, '{"message":"Forbidden"}', create).message).toMatch(/`write` scope/)
    expect(apiError(403, '{"message":"Forbidden"}', list).message).toMatch(/`read` scope/)
  })

  it('404 names what the caller asked for, not Phrase\'s bare "Not Found"', () => {
    expect(apiError(404, '{"message":"Not Found"}', list).message).toMatch(/project "p1" not found/)
    expect(apiError(404, '{"message":"Not Found"}', create).message).toMatch(/locale "de"/)
  })

  it('422 joins the field errors', () => {
    const body = JSON.stringify({
      message: 'Validation failed',
      errors: [
        { resource: 'locale_download', field: 'file_format', message: 'is not a valid format' },
        { resource: 'locale_download', field: 'tags', message: 'is too long' }
      ]
    })
    expect(apiError(422, body, create).message).toContain(
      'locale_download.file_format: is not a valid format; locale_download.tags: is too long'
    )
  })

  it("400 passes Phrase's message on, even without a JSON body", () => {
    expect(apiError(400, '{"message":"User-Agent header missing"}', list).message).toContain(
      'User-Agent header missing'
    )
    expect(apiError(400, 'plain text', list).message).toContain('plain text')
  })
})

describe('classification', () => {
  it('takes any 403 on create as a refusal of async downloads (Phrase words it differently)', () => {
    expect(
      isMissingWriteScope(apiError(403, '{"message":"token lacks the write scope"}', create))
    ).toBe(true)
    expect(isMissingWriteScope(apiError(403, '{"message":"Forbidden"}', create))).toBe(true)
    expect(isMissingWriteScope(apiError(403, '{"message":"missing scope write"}', list))).toBe(
      false
    )
    expect(isMissingWriteScope(apiError(401, '{"message":"write scope"}', create))).toBe(false)
  })

  it('treats 410 and an expired CDN link as expired', () => {
    expect(isExpired(apiError(410, '', { ...create, operation: 'showDownload' }))).toBe(true)
    expect(isExpired(new ResultExpiredError('cdn 403'))).toBe(true)
    expect(isExpired(apiError(404, '', create))).toBe(false)
  })
})
