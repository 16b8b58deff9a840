/**
 * Runs the action bundle (ACTION_ENTRY) in this process and, on exit, writes the process's peak
 * resident set size (kB) to RSS_REPORT: the fault suite's and the bench's memory probe.
 *
 * VmHWM, the peak of this process's own memory map, where Linux has it: getrusage's maxRSS
 * survives exec, so a child spawned by a test runner holding 400 MB reported 400 MB whatever it
 * used itself (the kernel keeps the larger of the old and new maps' peaks).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

function peakKb() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status)
    if (hwm) return Number(hwm[1])
  } catch {
    // not Linux: getrusage it is
  }
  return process.resourceUsage().maxRSS
}

process.on('exit', () => {
  writeFileSync(process.env.RSS_REPORT, String(peakKb()))
})
await import(pathToFileURL(process.env.ACTION_ENTRY).href)
