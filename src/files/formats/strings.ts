/**
 * iOS/macOS `.strings` (old-style plist string tables): `"key" = "value";`, block and line
 * comments, unquoted keys and values, `"key";` (value = key). Comments are not part of the map.
 * Hand-written because no maintained library parses this format.
 */
import { FormatError } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'

export const stringsParser: FormatParser = {
  parse: content => new StringsReader(content).readAll()
}

/** Characters allowed in unquoted keys/values (NeXTSTEP plist rules). */
const UNQUOTED = /[A-Za-z0-9_$+/:.-]/

class StringsReader {
  private position = 0

  constructor(private readonly text: string) {}

  readAll(): TranslationMap {
    const map: TranslationMap = new Map()
    for (;;) {
      this.skipSpaceAndComments()
      if (this.position >= this.text.length) return map
      const key = this.readToken('a key')
      this.skipSpaceAndComments()
      let value = key
      if (this.text[this.position] === '=') {
        this.position++
        this.skipSpaceAndComments()
        value = this.readToken('a value')
        this.skipSpaceAndComments()
      }
      this.expect(';')
      map.set(key, value)
    }
  }

  private skipSpaceAndComments(): void {
    const text = this.text
    while (this.position < text.length) {
      const char = text[this.position]
      if (
        char === ' ' ||
        char === '\t' ||
        char === '\n' ||
        char === '\r' ||
        char === '\f' ||
        char === '\v'
      ) {
        this.position++
      } else if (text.startsWith('/*', this.position)) {
        const end = text.indexOf('*/', this.position + 2)
        if (end === -1) throw this.error('unterminated /* comment')
        this.position = end + 2
      } else if (text.startsWith('//', this.position)) {
        const end = text.indexOf('\n', this.position)
        this.position = end === -1 ? text.length : end + 1
      } else {
        return
      }
    }
  }

  private readToken(what: string): string {
    if (this.text[this.position] === '"') return this.readQuoted()
    const start = this.position
    while (this.position < this.text.length && UNQUOTED.test(this.text[this.position]))
      this.position++
    if (this.position === start) throw this.error(`expected ${what}`)
    return this.text.slice(start, this.position)
  }

  private readQuoted(): string {
    const text = this.text
    const start = this.position
    this.position++
    let value = ''
    let chunkStart = this.position
    while (this.position < text.length) {
      const char = text[this.position]
      if (char === '"') {
        value += text.slice(chunkStart, this.position)
        this.position++
        return value
      }
      if (char === '\\') {
        value += text.slice(chunkStart, this.position) + this.readEscape()
        chunkStart = this.position
      } else {
        this.position++
      }
    }
    this.position = start
    throw this.error('unterminated string')
  }

  /** At a backslash: consumes the escape sequence and returns the character(s) it stands for. */
  private readEscape(): string {
    const text = this.text
    const char = text[this.position + 1]
    this.position += 2
    switch (char) {
      case undefined:
        throw this.error('backslash at the end of the file')
      case 'n':
        return '\n'
      case 't':
        return '\t'
      case 'r':
        return '\r'
      case 'a':
        return '\u0007'
      case 'b':
        return '\b'
      case 'f':
        return '\f'
      case 'v':
        return '\v'
      case 'U':
      case 'u': {
        const hex = /^[0-9a-fA-F]{1,4}/.exec(text.slice(this.position, this.position + 4))
        if (!hex) throw this.error(`\\${char} without hex digits`)
        this.position += hex[0].length
        return String.fromCharCode(parseInt(hex[0], 16))
      }
      default: {
        const octal = /^[0-7]{1,3}/.exec(text.slice(this.position - 1, this.position + 2))
        if (octal) {
          this.position += octal[0].length - 1
          return String.fromCharCode(parseInt(octal[0], 8))
        }
        return char // \" \\ \' and any other escaped character stand for themselves
      }
    }
  }

  private expect(char: string): void {
    if (this.text[this.position] !== char) {
      const found =
        this.position < this.text.length ? `"${this.text[this.position]}"` : 'the end of the file'
      throw this.error(`expected "${char}" but found ${found}`)
    }
    this.position++
  }

  private error(message: string): FormatError {
    let line = 1
    for (let i = 0; i < this.position && i < this.text.length; i++)
      if (this.text[i] === '\n') line++
    return new FormatError(`invalid .strings file: ${message} at line ${line}`)
  }
}
