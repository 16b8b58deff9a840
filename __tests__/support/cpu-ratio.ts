/**
 * CPU time of one piece of work over another's, for tests that tell linear work from quadratic
 * by a ratio rather than a wall time. Each figure is the minimum of runs taken in turns, so that a
 * busy machine (a fresh clone, both workers running suites) shows in neither.
 */

export function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage()
  run()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

/**
 * `large` over `small` after `runs` rounds; while `over(ratio)` holds, up to `runs` more: a
 * collection that lands in every large run does not land in all of them, while quadratic work
 * fails them all.
 */
export function cpuRatio(
  small: () => unknown,
  large: () => unknown,
  options: { runs: number; over(ratio: number): boolean }
): number {
  let bestSmall = Infinity
  let bestLarge = Infinity
  const measured = () => bestLarge / Math.max(bestSmall, 1)
  const { runs, over } = options
  for (let round = 0; round < runs || (round < 2 * runs && over(measured())); round++) {
    bestSmall = Math.min(bestSmall, cpuMs(small))
    bestLarge = Math.min(bestLarge, cpuMs(large))
  }
  return measured()
}
