// tsc compiles only TypeScript; the .proto schemas are read at run time and must sit beside their loader.
import { cpSync, readdirSync, mkdirSync } from 'node:fs';

const from = 'src/proto';
const to = 'dist/src/proto';
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith('.proto')) cpSync(`${from}/${name}`, `${to}/${name}`);
}
