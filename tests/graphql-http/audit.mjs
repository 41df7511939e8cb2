import { auditServer } from 'graphql-http';
const url = process.argv[2];
const results = await auditServer({ url });
let errors = 0;
for (const r of results) {
  if (r.status === 'error') errors++;
  if (r.status !== 'ok') console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason ?? ''}`);
}
console.log(`${results.filter(r => r.status === 'ok').length} ok, ${results.filter(r => r.status === 'warn').length} warn, ${errors} error`);
process.exit(errors ? 1 : 0);
