// Independent Open Badges 3.0 verifier for the badgepress tests: the Digital Credentials
// Consortium libraries (the ones the DCC's own VerifierPlus uses), run offline.
//
//   node verify.mjs --site SITE_DIR --base BASE_URL [--now ISO_DATE] FILE...
//
// Contexts come from the npm packages; did:web documents and status lists are read from the
// built site by answering fetch() and the JSON-LD document loader from SITE_DIR for any URL
// under BASE_URL or the DID's https origin. Anything else is refused: nothing goes online.
// Prints one JSON object: {"results": [{"file", "verified", "error", "log"}]}.
import {readFile} from 'node:fs/promises';
import path from 'node:path';

import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import {checkStatus} from '@digitalcredentials/vc-bitstring-status-list';
import * as vc from '@digitalcredentials/vc';

function parseArgs(argv) {
  const options = {files: []};
  for(let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if(arg === '--site') options.site = argv[++i];
    else if(arg === '--base') options.base = argv[++i];
    else if(arg === '--now') options.now = argv[++i];
    else options.files.push(arg);
  }
  if(!options.site || !options.base) {
    throw new Error('usage: verify.mjs --site DIR --base URL [--now ISO] FILE...');
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const base = options.base.endsWith('/') ? options.base : options.base + '/';
// did:web always resolves over https at the site's host (did:web §3.2).
const didBase = 'https://' + new URL(base).host + new URL(base).pathname;
const fetched = [];

function sitePath(url) {
  for(const prefix of [base, didBase]) {
    if(url.startsWith(prefix)) {
      const rest = decodeURIComponent(url.slice(prefix.length).split('#')[0]);
      const resolved = path.resolve(options.site, rest);
      if(resolved.startsWith(path.resolve(options.site) + path.sep)) {
        return resolved;
      }
    }
  }
  return null;
}

async function readSiteJson(url) {
  const file = sitePath(url);
  if(!file) {
    throw new Error(`offline verifier refuses to fetch ${url}`);
  }
  fetched.push(url);
  return JSON.parse(await readFile(file, 'utf8'));
}

// did-method-web fetches the DID document through http-client (ky), which calls fetch().
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : (input.url ?? String(input));
  try {
    const body = JSON.stringify(await readSiteJson(url));
    return new Response(body, {status: 200, headers: {'content-type': 'application/json'}});
  } catch(error) {
    return new Response(String(error.message), {status: 404});
  }
};

const contexts = securityLoader({fetchRemoteContexts: false}).build();
async function documentLoader(url) {
  if(url.startsWith('http') && sitePath(url)) {
    return {contextUrl: null, documentUrl: url, document: await readSiteJson(url)};
  }
  return contexts(url);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const results = [];
for(const file of options.files) {
  let credential;
  try {
    credential = JSON.parse(await readFile(file, 'utf8'));
  } catch(error) {
    results.push({file, verified: false, error: `unreadable: ${error.message}`, log: []});
    continue;
  }
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    checkStatus,
    now: options.now ? new Date(options.now) : new Date()
  });
  const error = result.error ?? result.results?.[0]?.error ??
    result.statusResult?.error ?? result.statusResult?.results?.find(r => r.error)?.error;
  results.push({
    file,
    verified: result.verified === true,
    error: result.verified === true ? null : describe(error) ?? 'not verified',
    log: result.log ?? result.results?.[0]?.log ?? error?.log ?? []
  });
}
process.stdout.write(JSON.stringify({results, fetched: [...new Set(fetched)].sort()}, null, 2) + '\n');

function describe(error) {
  if(!error) return null;
  if(Array.isArray(error.errors) && error.errors.length) {
    return error.errors.map(describe).join('; ');
  }
  const cause = error.cause ? ` (${describe(error.cause)})` : '';
  return `${error.name ?? 'Error'}: ${error.message}${cause}`;
}
