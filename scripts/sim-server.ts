/**
 * Runs the Phrase simulator on 127.0.0.1 until stopped, for the workflow that uses the action as
 * users do (`uses: ./`). Writes the API URL to --url-file once it listens.
 *   npx tsx scripts/sim-server.ts --url-file /tmp/phrase-api-url
 */
import { writeFile } from 'node:fs/promises'
import { PhraseSimulator } from '../__tests__/support/phrase-simulator.js'
import { demoLocales, demoTranslations } from './demo-data.js'

const at = process.argv.indexOf('--url-file')
const urlFile = at > 0 ? process.argv[at + 1] : undefined

const sim = await PhraseSimulator.start({
  projects: { demo: { locales: demoLocales.slice(0, 2), translations: demoTranslations() } },
  jobDurationMs: 300
})
console.log(`Phrase simulator: ${sim.apiUrl} (CDN ${sim.cdnUrl})`)
if (urlFile) await writeFile(urlFile, sim.apiUrl)
const stop = async () => {
  await sim.stop()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
