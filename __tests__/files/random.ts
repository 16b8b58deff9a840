/** Seeded randomness for the property tests: a failure names its seed and round, and reproduces. */

/** mulberry32: small, seedable, good enough to vary test input reproducibly. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Rng {
  readonly next: () => number

  constructor(seed: number) {
    this.next = random(seed)
  }

  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[copy[i], copy[j]] = [copy[j], copy[i]]
    }
    return copy
  }

  /** A short identifier: `key_3`, `title`, `b7`. */
  word(): string {
    return (
      this.pick(['title', 'label', 'hint', 'error', 'button', 'name', 'count', 'help']) +
      this.int(50)
    )
  }

  /**
   * Text a translator writes, with what formats must escape: quotes, backslashes, `&`, `<`,
   * placeholders, non-ASCII, and (when `lines`) line breaks; leading/trailing spaces when `spaces`.
   */
  text(options: { lines?: boolean; spaces?: boolean } = {}): string {
    const pieces = ['Hallo', 'Welt', 'Übersicht', 'été', '日本', '%s', '%1$d', '{name}', '%{count}']
    const special = ['"', "'", '\\', '&', '<', '>', ';', '=', ':', '#', '/']
    const length = 1 + this.int(4)
    let text = ''
    for (let i = 0; i < length; i++) {
      if (i > 0) text += this.chance(0.8) ? ' ' : ''
      text += this.chance(0.2) ? this.pick(special) : this.pick(pieces)
      if (options.lines && this.chance(0.1)) text += '\n'
    }
    if (options.spaces && this.chance(0.1)) text = ` ${text} `
    return text
  }
}
