/**
 * How long to wait before each status check of an async download. Phrase's CLI polls every 5 s,
 * which adds up to 5 s to every file; most jobs take 0.5–3 s. So the first check comes soon and
 * the wait grows geometrically to a cap: short jobs are seen almost at once, long ones cost few
 * requests (≈ log(duration) checks instead of duration / interval).
 */

export interface PollSchedule {
  firstDelayMs: number
  growth: number
  maxDelayMs: number
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = {
  firstDelayMs: 200,
  growth: 1.6,
  maxDelayMs: 2000
}

/** The wait before status check number `index` (0 = the first check after the job was created). */
export function pollDelay(index: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
  const delay = schedule.firstDelayMs * schedule.growth ** Math.max(0, index)
  return Math.round(Math.min(schedule.maxDelayMs, delay))
}

/**
 * When to send status check `index`, given when the previous one was due (for the first: when the
 * create was answered). Anchored to the schedule, so round trips do not add up; but never sooner
 * than half a delay from `now`, so checks that fell behind (say, held for the rate limit) do not
 * go out in a burst.
 */
export function nextCheckAt(
  previousDue: number,
  index: number,
  now: number,
  schedule: PollSchedule = DEFAULT_POLL_SCHEDULE
): number {
  const delay = pollDelay(index, schedule)
  return Math.max(previousDue + delay, now + delay / 2)
}

/**
 * How many status checks a job of `durationMs` needs under the schedule when a request takes
 * `roundTripMs`: what a download costs besides its create.
 */
export function checksUntilDone(
  durationMs: number,
  roundTripMs = 0,
  schedule: PollSchedule = DEFAULT_POLL_SCHEDULE
): number {
  // Times from sending the create. Phrase starts the job half a round trip later and sees each
  // check half a round trip after it was sent; the schedule starts when the create is answered.
  const jobDoneAt = roundTripMs / 2 + durationMs
  let due = roundTripMs
  let now = due
  for (let checks = 1; ; checks++) {
    due = nextCheckAt(due, checks - 1, now, schedule)
    if (due + roundTripMs / 2 >= jobDoneAt) return checks
    now = due + roundTripMs // its answer arrives
  }
}
