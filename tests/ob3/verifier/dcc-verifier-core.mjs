// The Digital Credentials Consortium's verifier-core (its verifier for browsers, Node.js and
// React Native), offline. Usage: see offline.mjs.
//
// verifier-core resolves the did:web, the status list, the 1EdTech JSON Schema and the issuer
// registries with fetch(), which the offline web answers. Its own steps become our checks:
//   signature  log "valid_signature" (or a fatal error: bad signature, unresolvable key)
//   status     log "revocation_status" (the bit, and the status list's own proof)
//   validity   log "expiration" (validUntil; validFrom is checked by the vc library)
//   registry   log "registered_issuer" (the issuer's DID is in a known registry)
//   schema     additionalInformation "schema_check" (the 1EdTech AchievementCredential schema,
//              chosen from the credential's contexts and type, validated with ajv)
// A credential passes only when every one of them is true: none may be missing (skipped).
import {verifyCredential} from '@digitalcredentials/verifier-core';

import {
  OfflineWeb, REGISTRY_URL, describe, freezeClock, parseArgs, readCredential
} from './offline.mjs';

const options = parseArgs(process.argv.slice(2));
freezeClock(options.now);
const web = new OfflineWeb(options).install();
const knownDIDRegistries = options.registry ?
  [{type: 'dcc-legacy', name: 'badgepress test registry', url: REGISTRY_URL}] : [];

const STEPS = {
  valid_signature: 'signature',
  revocation_status: 'status',
  expiration: 'validity',
  registered_issuer: 'registry'
};

const results = [];
for(const file of options.files) {
  const credential = await readCredential(file);
  const response = await verifyCredential({credential, knownDIDRegistries});
  results.push({file, ...judge(response)});
}
web.report(results);

function judge(response) {
  const checks = {};
  const errors = [];
  if(response.errors) {
    // Fatal: verifier-core stops before any other step. A JSON-LD safe-mode error (a term no
    // context defines) is the document's shape; anything else is the signature or its key.
    const unsafe = response.errors.some(e => e.name === 'jsonld.ValidationError');
    checks[unsafe ? 'schema' : 'signature'] = false;
    errors.push(...response.errors.map(e => `${e.name}: ${e.message}`));
  }
  for(const entry of response.log ?? []) {
    const check = STEPS[entry.id] ?? entry.id;
    checks[check] = entry.valid === true && !entry.error;
    if(entry.error) {
      errors.push(`${entry.id}: ${describe(entry.error)}`);
    } else if(entry.valid !== true) {
      errors.push(`${entry.id}: not valid`);
    }
  }
  for(const info of response.additionalInformation ?? []) {
    if(info.id !== 'schema_check') {
      continue;
    }
    // 'NO_SCHEMA' (no known schema for the credential) is a skipped check, not a pass.
    const ran = Array.isArray(info.results) && info.results.length > 0;
    checks.schema = ran && info.results.every(r => r.result?.valid === true);
    if(!ran) {
      errors.push(`schema_check: ${JSON.stringify(info.results)}`);
    }
    for(const {schema, result} of ran ? info.results : []) {
      for(const e of result?.errors ?? []) {
        errors.push(`schema_check ${schema}: ${e.instancePath || '/'} ${e.message}`);
      }
    }
  }
  const verified = Object.keys(checks).length > 0 &&
    Object.values(checks).every(v => v === true);
  return {
    verified,
    checks,
    error: errors.length ? errors.join('; ') : null,
    // The verifier's own answer, without the credential it echoes.
    raw: {...response, credential: undefined}
  };
}
