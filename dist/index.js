/**
 * The entry the runner starts (`node dist/index.js`): runs the action (action.ts, bundled as
 * dist/action.js) in a worker thread, because only a new V8 isolate takes a cap on its young
 * generation, and the runner passes no flags to Node.
 *
 * Node 24's V8 lets the young generation grow to about 200 MB while a long file is read (Node 20
 * stops at 48 MB), and RSS keeps those pages: a changed 20 MiB Rails YAML file peaked at 440 MB on
 * Node 24, 60 MiB at 683. Capped at 16 MB: about 300 and 500 MB (32 MB: 313–342 and 506–524).
 *
 * This file imports only Node's own modules: it is copied to dist/ as it is, not bundled.
 */
import { Worker } from 'node:worker_threads';
const YOUNG_GENERATION_MB = 16;
const action = new Worker(new URL('./action.js', import.meta.url), {
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }
});
// The action reports its own failures; this is for what escapes it (a crash, no memory left).
action.on('error', error => {
    process.stdout.write(`::error::The action stopped unexpectedly: ${String(error)}\n`);
    process.exitCode = 1;
});
// core.setFailed sets the worker's exit code; the runner reads the process's.
action.on('exit', code => {
    if (code !== 0)
        process.exitCode = code;
});
