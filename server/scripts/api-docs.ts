/**
 * `npm run docs:api` (also `docs:asyncapi`, `docs:openapi`): writes docs/asyncapi.yaml and
 * docs/openapi.yaml from shared/ and the features' registrations. `--check` writes nothing and
 * exits 1 when a committed document differs from what shared/ gives now.
 */
import fs from 'node:fs';
import { apiDocuments } from '../contract/documents';

const check = process.argv.includes('--check');
let stale = 0;
for (const doc of apiDocuments()) {
  const current = fs.existsSync(doc.path) ? fs.readFileSync(doc.path, 'utf8') : undefined;
  if (current === doc.text) {
    console.log(`${doc.name}: up to date`);
  } else if (check) {
    console.error(`${doc.name}: out of date; run npm run docs:api`);
    stale++;
  } else {
    fs.writeFileSync(doc.path, doc.text);
    console.log(`${doc.name}: written`);
  }
}
process.exit(stale ? 1 : 0);
