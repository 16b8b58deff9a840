import { setFlagsFromString } from 'node:v8'
import { run } from './main.js'

// V8 lets the old generation grow to about four times what survived the last full collection
// before it collects again. Reading a long YAML or JSON file makes hundreds of MB of garbage
// around the tree it keeps, so a 60 MiB Rails file peaked at ~100 MB live but ~400 MB of heap.
// Growing by 20 % collects more often: the comparison of a changed 60 MiB file peaks at 405
// MB instead of 495 (YAML) and 365 instead of 390 (JSON), and takes 4-12 % longer (Node 20).
// V8 reads the flag at every collection, so setting it here, before any work, takes effect.
setFlagsFromString('--heap-growing-percent=20')

void run()
