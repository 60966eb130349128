// What every Node verifier of the badgepress tests shares: the command line, a clock frozen at
// the time the test names, and an offline "web" that answers from files.
//
//   node VERIFIER.mjs --site SITE_DIR --base BASE_URL --now ISO_DATE
//                     [--schemas DIR] [--registry FILE] FILE...
//
// URLs under BASE_URL, or under the https origin of its did:web (did:web §3.2: a DID document
// is always fetched over https), are read from SITE_DIR. A 1EdTech JSON Schema URL is read from
// --schemas DIR by its file name, the issuer registry URL from --registry FILE. Anything else is
// refused: nothing goes online, and what was asked for is reported ("fetched", "refused").
import {readFile} from 'node:fs/promises';
import path from 'node:path';

import FakeTimers from '@sinonjs/fake-timers';

export const SCHEMA_BASE = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/';
// .invalid never resolves (RFC 2606): a registry URL that cannot leak onto the network.
export const REGISTRY_URL = 'https://registry.badgepress.invalid/issuers.json';

// stdout carries our one JSON answer: the libraries' own console chatter goes to stderr.
console.log = console.info = console.warn = console.error;

export function parseArgs(argv) {
  const options = {files: []};
  const flags = {'--site': 'site', '--base': 'base', '--now': 'now',
    '--schemas': 'schemas', '--registry': 'registry'};
  for(let i = 0; i < argv.length; i++) {
    if(flags[argv[i]]) {
      options[flags[argv[i]]] = argv[++i];
    } else {
      options.files.push(argv[i]);
    }
  }
  if(!options.site || !options.base || !options.now) {
    throw new Error('usage: VERIFIER.mjs --site DIR --base URL --now ISO ' +
      '[--schemas DIR] [--registry FILE] FILE...');
  }
  if(!options.base.endsWith('/')) {
    options.base += '/';
  }
  return options;
}

// Verifiers that read the wall clock (verifier-core takes no "now"; status lists carry their
// own validFrom) see the test's time, so an expiry years away never turns a test red.
export function freezeClock(iso) {
  const now = Date.parse(iso);
  if(Number.isNaN(now)) {
    throw new Error(`--now is not a date: ${iso}`);
  }
  FakeTimers.install({now, toFake: ['Date']});
}

export class OfflineWeb {
  constructor({site, base, schemas, registry}) {
    this.site = path.resolve(site);
    this.schemas = schemas && path.resolve(schemas);
    this.registry = registry && path.resolve(registry);
    const {host, pathname} = new URL(base);
    this.prefixes = [...new Set([base, `https://${host}${pathname}`])];
    this.fetched = new Set();
    this.refused = new Set();
  }

  // The local file answering `url`, or null: never a path outside its folder.
  fileFor(url) {
    const bare = url.split('#')[0];
    if(this.registry && bare === REGISTRY_URL) {
      return this.registry;
    }
    if(this.schemas && bare.startsWith(SCHEMA_BASE)) {
      return inside(this.schemas, path.basename(new URL(bare).pathname));
    }
    for(const prefix of this.prefixes) {
      if(bare.startsWith(prefix)) {
        return inside(this.site, decodeURIComponent(bare.slice(prefix.length)));
      }
    }
    return null;
  }

  async readJson(url) {
    const file = this.fileFor(url);
    if(!file) {
      this.refused.add(url);
      throw new Error(`the offline verifier refuses to fetch ${url}`);
    }
    this.fetched.add(url.split('#')[0]);
    return JSON.parse(await readFile(file, 'utf8'));
  }

  // A fetch() that answers from files: 200 with the JSON, 404 for a missing file, and an error
  // for any URL outside the offline web.
  fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : (input.url ?? String(input));
    const file = this.fileFor(url);
    if(!file) {
      this.refused.add(url);
      throw new TypeError(`the offline verifier refuses to fetch ${url}`);
    }
    let body;
    try {
      body = await readFile(file);
    } catch(error) {
      return new Response(`not found: ${url}`, {status: 404, statusText: 'Not Found'});
    }
    this.fetched.add(url.split('#')[0]);
    const response = new Response(body, {
      status: 200, headers: {'content-type': 'application/json'}
    });
    // ky and the DCC http-client read response.url in their errors.
    Object.defineProperty(response, 'url', {value: url});
    return response;
  };

  // Every fetch() in the process goes through the offline web, whoever calls it.
  install() {
    globalThis.fetch = this.fetch;
    return this;
  }

  report(results) {
    process.stdout.write(JSON.stringify({
      results,
      fetched: [...this.fetched].sort(),
      refused: [...this.refused].sort()
    }, null, 2) + '\n');
  }
}

function inside(folder, relative) {
  const resolved = path.resolve(folder, relative);
  return resolved.startsWith(folder + path.sep) ? resolved : null;
}

export async function readCredential(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

// An error and its causes in one line of words.
export function describe(error) {
  if(!error) {
    return null;
  }
  if(typeof error === 'string') {
    return error;
  }
  if(Array.isArray(error.errors) && error.errors.length) {
    return error.errors.map(describe).join('; ');
  }
  const cause = error.cause ? ` (${describe(error.cause)})` : '';
  return `${error.name ?? 'Error'}: ${error.message}${cause}`;
}
