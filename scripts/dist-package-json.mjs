// ncc writes an ES module bundle; dist/package.json tells Node to load it as one.
import { writeFileSync } from 'node:fs'
writeFileSync(new URL('../dist/package.json', import.meta.url), '{\n  "type": "module"\n}\n')
