/**
 * Runs the action bundle (ACTION_ENTRY) in this process and, on exit, writes the process's peak
 * resident set size (kB, from getrusage) to RSS_REPORT: the fault suite's memory probe.
 */
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

process.on('exit', () => {
  writeFileSync(process.env.RSS_REPORT, String(process.resourceUsage().maxRSS))
})
await import(pathToFileURL(process.env.ACTION_ENTRY).href)
