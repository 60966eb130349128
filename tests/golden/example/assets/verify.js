/* badgepress verify: Open Badges 2.0 hosted verification in the browser. No server, no third-party code.
 *
 * The same checks, in the same order, as badgepress/verify_checks.py (`badgepress verify`):
 * unbake the image (PNG iTXt/tEXt/zTXt chunk, SVG openbadges:assertion), fetch the assertion,
 * its BadgeClass, the issuer and the issuer's revocation list, then check ids, the origin policy,
 * revocation, dates and the recipient's hashed email. One verdict wins, most decisive first.
 * Open Badges 3.0 credentials (a URL or a baked image): did:web key, status list, dates, recipient.
 */
(function () {
  "use strict";

  // As `badgepress verify`: one deadline for a verification's fetches (connection, headers and
  // body together), and no body, nor inflated chunk or status list, past MAX_BYTES.
  var TIMEOUT_MS = 15000;
  var MAX_BYTES = 5000000;
  var timeoutMs = TIMEOUT_MS, deadline = 0; // the running verification's, in Date.now() ms
  var VERDICTS = {
    not_a_badge: "Not a badge",
    invalid: "Not valid",
    revoked: "Revoked",
    expired: "Expired",
    wrong_recipient: "Not issued to this email",
    unreachable: "Could not reach the issuer",
    // The page cannot check some badges (a signed JWS, a signature needing JSON-LD): it says
    // where they can be checked instead, never that they are not valid.
    unsupported: "Could not check here",
    valid: "Valid",
  };
  var ORDER = Object.keys(VERDICTS);
  // What the page says, in its language: the template's #verify-strings (verify.html, the
  // earner page), English without them. {name} placeholders are filled in by say().
  var STRINGS = {
    verdicts: {},
    checking: "Checking…",
    reason: "Reason: {reason}",
    issued: "Issued {date}",
    expires: "Expires {date}",
    expired: "Expired {date}",
    issued_by: "{name}, issued by {issuer}",
    badge_alt: "Badge: {name}",
    the_badge: "The badge",
    not_checked_recipient: "Not checked who it was issued to: type the earner's email address to check that too.",
    checked: "What was checked ({count})",
    passed: "passed",
    failed: "failed",
    skipped: "skipped",
    selected: "Selected: {file}",
    choose_first: "Choose a badge image or paste a badge URL first.",
    open_earner_page: "Open the earner's page",
    check_line: "{name}: {message}",
  };
  // Every check's name and message as the checks word them (and `badgepress verify` prints
  // them), by the id under which the page's strings translate them: {x} is a value the check
  // fills in, {what} one of CHECK_THINGS, {message} a line translated in turn. The list is
  // searched in order, so a specific line comes before a general one it would also match.
  var CHECK_NAMES = {
    image_fetched: "image fetched",
    badge_data: "badge data",
    assertion_fetched: "assertion fetched",
    badge_class_fetched: "badge class fetched",
    issuer_fetched: "issuer fetched",
    revocation_list_fetched: "revocation list fetched",
    status_list_fetched: "status list fetched",
    hosted_credential_fetched: "hosted credential fetched",
    did_document_fetched: "DID document fetched",
    assertion_fields: "assertion fields",
    badge_class_fields: "badge class fields",
    issuer_fields: "issuer fields",
    assertion_id: "assertion id",
    badge_class_id: "badge class id",
    issuer_id: "issuer id",
    baked_url: "baked URL",
    verification: "verification",
    issuer_origin: "issuer origin",
    not_revoked: "not revoked",
    revocation_list: "revocation list",
    issued_on: "issued on",
    not_expired: "not expired",
    recipient: "recipient",
    dates: "dates",
    signature: "signature (eddsa-rdfc-2022)",
    issuer_key: "issuer key (did:web)",
    issuers_copy: "issuer's copy",
    status_list: "status list",
    verifier: "verifier",
  };
  var CHECK_THINGS = {
    assertion: "assertion",
    badge_class: "badge class",
    issuer: "issuer",
    revocation_list: "revocation list",
    status_list: "status list",
    hosted_credential: "hosted credential",
    did_document: "DID document",
  };
  var CHECK_LINES = {
    fetch_missing: "the issuer has no {what} at {url} (HTTP {status})",
    fetch_timeout: "no complete answer from {url} within {seconds} s",
    fetch_large: "{url} is larger than {bytes} bytes, more than any badge",
    fetch_cors: "could not fetch {url}: the issuer's server is down or does not allow cross-origin checks (CORS); `badgepress verify` in a terminal is not limited by this",
    fetch_unreachable: "could not reach {url}",
    fetch_http: "{url} answered HTTP {status}",
    fetch_read: "could not read {url} to its end",
    not_json: "{url} is not JSON",
    no_link: "no http(s) URL for the {what}: {value}",
    png_truncated: "truncated PNG chunk",
    png_no_chunk: "PNG carries no '{keyword}' chunk",
    not_svg: "not an SVG file",
    svg_no_assertion: "SVG carries no openbadges:assertion element",
    chunk_inflates: "the PNG's {chunk} chunk inflates to more than {bytes} bytes",
    chunk_corrupt: "the PNG's {chunk} chunk holds corrupt compressed data",
    list_inflates: "the status list inflates to more than {bytes} bytes",
    list_corrupt: "the status list holds corrupt compressed data",
    carries_data: "the image carries Open Badges data",
    jws: "a signed (JWS) badge: not checked here",
    no_assertion_url: "the baked data names no assertion URL",
    not_http: "not an http(s) URL: {url}",
    not_image: "not a PNG or SVG image",
    carries_ob3: "the image carries an Open Badges 3.0 credential",
    baked_ok: "the image carries the assertion's URL",
    baked_other: "the image carries {baked}, but the assertion's id is {id}",
    lacks: "{url} lacks {fields}",
    wrong_type: "{url} has type {types}, expected {expected}",
    fields_ok: "{what} has every required field",
    id_ok: "id is the URL it was fetched from: {url}",
    id_other: "{what} id {value} is not its URL {url}",
    hosted: "hosted verification",
    signed_here: "signed badges are not checked here",
    unknown_verification: "unknown verification type {value}",
    origin_prefix: "{url} does not start with {prefixes}",
    origin_host: "the assertion is hosted on {host}, but the issuer allows only {origins}",
    origin_ok: "the assertion is hosted where the issuer allows ({host})",
    no_email: "no email given: not checked who the badge was issued to",
    no_identity: "the assertion has no recipient identity",
    not_email: "the badge was issued to a {kind}, not an email address",
    unknown_hash: "unknown recipient hash {value}",
    email_ok: "issued to this email address",
    email_other: "the badge was not issued to this email address",
    revoked_reason: "revoked: {reason}",
    revoked: "revoked",
    not_marked: "the assertion is not marked revoked",
    no_list: "the issuer publishes no revocation list",
    not_listed: "not on the issuer's revocation list",
    issued_not_date: "issuedOn {value} is not a date",
    issued_future: "issued in the future ({date})",
    issued: "issued {date}",
    no_expiry: "the badge does not expire",
    expires_not_date: "expires {value} is not a date",
    expired_on: "expired on {date}",
    valid_until: "valid until {date}",
    dates_not_dates: "validFrom or validUntil is not a date-time",
    not_before: "not valid before {date}",
    valid_from_issue: "valid from issue",
    valid_from: "valid from {date}",
    no_proof: "the credential carries no proof",
    proof_unknown: "the proof is not one this page can check (a DataIntegrityProof with eddsa-rdfc-2022); found {found}. Check its signature in a wallet, an Open Badges 3.0 verifier such as VerifierPlus, or with `badgepress verify`.",
    key_foreign: "the proof's key {method} does not belong to the issuer {did}",
    key_ok: "the key is an assertion method in the issuer's DID document",
    key_other: "{method} is not an assertion method of {did}",
    signature_skipped: "not checked in the browser (the issuer's hosted copy was compared instead); `badgepress verify` checks it",
    signature_here: "cannot be checked in the browser and the issuer hosts no copy to compare. Check its signature in a wallet, an Open Badges 3.0 verifier such as VerifierPlus, or with `badgepress verify`.",
    copy_same: "identical to the credential the issuer hosts at {url}",
    copy_altered: "differs from the credential the issuer hosts at {url} under the same signature: altered after signing",
    copy_other: "differs from the credential the issuer hosts now at {url}, and is signed differently: an older copy, or not the issuer's. Check its signature in a wallet, an Open Badges 3.0 verifier such as VerifierPlus, or with `badgepress verify`.",
    no_status: "the credential names no status list",
    status_unsupported: "unsupported credentialStatus {value}",
    status_foreign: "the status list was issued by someone else",
    status_malformed: "the status list is malformed: {message}",
    not_multibase: "not multibase base64url",
    index_outside: "index outside the list",
    status_not_revoked: "not revoked in the issuer's status list",
    status_not_marked: "not marked for {purpose} in the issuer's status list",
    status_revoked: "revoked by the issuer",
    status_marked: "marked for {purpose}",
  };
  var REQUIRED = {
    Assertion: ["id", "type", "recipient", "badge", "verification", "issuedOn"],
    BadgeClass: ["id", "type", "name", "description", "image", "criteria", "issuer"],
    Issuer: ["id", "type", "name", "url", "email"],
  };
  var TYPES = { Assertion: ["Assertion"], BadgeClass: ["BadgeClass"], Issuer: ["Issuer", "Profile"] };
  var LABELS = { Assertion: "assertion", BadgeClass: "badge class", Issuer: "issuer" };

  function check(name, status, message, verdict) {
    return { name: name, status: status, message: message, verdict: verdict || "invalid" };
  }
  function pass(name, message) { return check(name, "pass", message); }
  function fail(name, message, verdict) { return check(name, "fail", message, verdict); }
  function skip(name, message) { return check(name, "skip", message); }

  function Stop() {}

  function verdictOf(checks) {
    var worst = null;
    checks.forEach(function (c) {
      if (c.status === "fail" && (!worst || ORDER.indexOf(c.verdict) < ORDER.indexOf(worst.verdict))) worst = c;
    });
    if (!worst) return { code: "valid", label: VERDICTS.valid, reason: "every check passed" };
    return { code: worst.verdict, label: VERDICTS[worst.verdict], reason: worst.message };
  }

  /* ---------- unbaking ---------- */

  function latin1(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
    return out;
  }

  function size(n) { return n.toLocaleString("en-US"); }

  /** A stream's bytes; `tooLarge()` is thrown (and the stream cancelled) past MAX_BYTES. */
  async function readCapped(stream, tooLarge) {
    var reader = stream.getReader(), chunks = [], total = 0;
    for (;;) {
      var part = await reader.read();
      if (part.done) break;
      total += part.value.length;
      if (total > MAX_BYTES) { reader.cancel().catch(function () {}); throw tooLarge(); }
      chunks.push(part.value);
    }
    var out = new Uint8Array(total), at = 0;
    chunks.forEach(function (c) { out.set(c, at); at += c.length; });
    return out;
  }

  /** zlib ("deflate") or gzip data inflated, never past MAX_BYTES: a few KB may inflate to GBs. */
  async function inflate(bytes, format, what) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
    try {
      return await readCapped(stream, function () { return new NotABadge(what + " inflates to more than " + size(MAX_BYTES) + " bytes"); });
    } catch (err) {
      if (err instanceof NotABadge) throw err;
      throw new NotABadge(what + " holds corrupt compressed data");
    }
  }

  function isPng(bytes) {
    var sig = [137, 80, 78, 71, 13, 10, 26, 10];
    return bytes.length >= 8 && sig.every(function (b, i) { return bytes[i] === b; });
  }

  function isSvg(bytes) {
    var head = new TextDecoder().decode(bytes.subarray(0, 4096));
    return /<svg[\s>]/i.test(head);
  }

  /** The text baked into a PNG under the keyword 'openbadges' (OB 2.0 Baking: iTXt after IHDR). */
  async function unbakePng(bytes, keyword) {
    keyword = keyword || "openbadges";
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var offset = 8;
    while (offset + 8 <= bytes.length) {
      var length = view.getUint32(offset);
      var type = latin1(bytes.subarray(offset + 4, offset + 8));
      var start = offset + 8, end = start + length;
      if (end + 4 > bytes.length) throw new NotABadge("truncated PNG chunk");
      if (type === "iTXt" || type === "tEXt" || type === "zTXt") {
        var data = bytes.subarray(start, end);
        var nul = data.indexOf(0);
        if (nul > 0 && latin1(data.subarray(0, nul)) === keyword) {
          var rest = data.subarray(nul + 1);
          if (type === "tEXt") return latin1(rest);
          // zTXt and compressed iTXt hold zlib streams ("deflate" in the Compression Streams API).
          if (type === "zTXt") return latin1(await inflate(rest.subarray(1), "deflate", "the PNG's zTXt chunk"));
          var compressed = rest[0];
          rest = rest.subarray(2);
          rest = rest.subarray(rest.indexOf(0) + 1); // language tag
          rest = rest.subarray(rest.indexOf(0) + 1); // translated keyword
          return new TextDecoder().decode(compressed ? await inflate(rest, "deflate", "the PNG's iTXt chunk") : rest);
        }
      }
      if (type === "IEND") break;
      offset = end + 4;
    }
    throw new NotABadge("PNG carries no '" + keyword + "' chunk");
  }

  /** The assertion URL (or JSON) baked into an SVG's openbadges:assertion element. */
  function unbakeSvg(bytes) {
    var doc = new DOMParser().parseFromString(new TextDecoder().decode(bytes), "image/svg+xml");
    if (doc.getElementsByTagName("parsererror").length) throw new NotABadge("not an SVG file");
    var el = doc.getElementsByTagNameNS("http://openbadges.org", "assertion")[0];
    var text = el && (el.getAttribute("verify") || el.textContent.trim());
    if (!text) throw new NotABadge("SVG carries no openbadges:assertion element");
    return text;
  }

  function NotABadge(message) { this.message = message; }

  /* ---------- fetching ---------- */

  function FetchError(url, message, status, cors, tooLarge) {
    this.url = url; this.message = message; this.status = status; this.cors = cors; this.tooLarge = tooLarge;
  }

  async function fetchBytes(url) {
    var controller = new AbortController();
    // The timer runs until the body is read: a server sending a byte a second cannot hold the page.
    var timer = setTimeout(function () { controller.abort(); }, Math.max(0, deadline - Date.now()));
    var timedOut = function () { return new FetchError(url, "no complete answer from " + url + " within " + timeoutMs / 1000 + " s"); };
    var tooLarge = function () { return new FetchError(url, url + " is larger than " + size(MAX_BYTES) + " bytes, more than any badge", null, false, true); };
    var response;
    try {
      try {
        response = await fetch(url, {
          headers: { Accept: "application/ld+json, application/json, image/png, image/svg+xml, */*;q=0.1" },
          credentials: "omit", cache: "no-store", redirect: "follow", signal: controller.signal,
        });
      } catch (err) {
        if (err && err.name === "AbortError") throw timedOut();
        // Browsers hide why a request failed: a server that is down and one that refuses
        // cross-origin requests (no Access-Control-Allow-Origin) look the same from here.
        var foreign = new URL(url, location.href).origin !== location.origin;
        throw new FetchError(url, foreign
          ? "could not fetch " + url + ": the issuer's server is down or does not allow cross-origin checks (CORS); `badgepress verify` in a terminal is not limited by this"
          : "could not reach " + url, null, foreign);
      }
      if (!response.ok) throw new FetchError(url, url + " answered HTTP " + response.status, response.status);
      if (Number(response.headers.get("Content-Length")) > MAX_BYTES) throw tooLarge();
      var body;
      try {
        body = response.body ? await readCapped(response.body, tooLarge) : new Uint8Array(0);
      } catch (err) {
        if (err instanceof FetchError) throw err;
        if (err && err.name === "AbortError") throw timedOut();
        throw new FetchError(url, "could not read " + url + " to its end");
      }
      return { requested: url, url: response.url || url, body: body };
    } finally {
      clearTimeout(timer);
      controller.abort(); // nothing more is read: let the connection go
    }
  }

  function parseJson(bytes, source) {
    var data;
    try { data = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, "")); } catch (e) { data = undefined; }
    if (!data || typeof data !== "object" || Array.isArray(data)) throw new NotABadge(source + " is not JSON");
    return data;
  }

  /* ---------- hashing ---------- */

  function hex(words, littleEndian) {
    return words.map(function (w) {
      var s = (w >>> 0).toString(16).padStart(8, "0");
      return littleEndian ? s.match(/../g).reverse().join("") : s;
    }).join("");
  }

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  // SHA-256 for pages served without a secure context (plain http on a LAN host), where
  // crypto.subtle does not exist. Constants from the primes, as FIPS 180-4 defines them.
  function sha256Fallback(bytes) {
    var K = [], H = [];
    for (var n = 2, found = 0; found < 64; n++) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
      if (!prime) continue;
      if (found < 8) H[found] = (Math.pow(n, 1 / 2) * 4294967296) | 0;
      K[found++] = (Math.pow(n, 1 / 3) * 4294967296) | 0;
    }
    var len = bytes.length, nWords = (((len + 8) >> 6) + 1) * 16, w = new Uint32Array(nWords), W = new Uint32Array(64);
    for (var i = 0; i < len; i++) w[i >> 2] |= bytes[i] << (24 - (i % 4) * 8);
    w[len >> 2] |= 0x80 << (24 - (len % 4) * 8);
    w[nWords - 1] = (len * 8) >>> 0;
    w[nWords - 2] = Math.floor(len / 0x20000000);
    var h = H.map(function (x) { return x >>> 0; });
    for (var b = 0; b < nWords; b += 16) {
      for (i = 0; i < 64; i++) {
        if (i < 16) { W[i] = w[b + i]; continue; }
        var x = W[i - 15], y = W[i - 2];
        W[i] = (W[i - 16] + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + W[i - 7] + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10))) >>> 0;
      }
      var a = h[0], bb = h[1], c = h[2], dd = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) >>> 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c))) >>> 0;
        hh = g; g = f; f = e; e = (dd + t1) >>> 0; dd = c; c = bb; bb = a; a = (t1 + t2) >>> 0;
      }
      [a, bb, c, dd, e, f, g, hh].forEach(function (v, k) { h[k] = (h[k] + v) >>> 0; });
    }
    return hex(h, false);
  }

  // MD5: OB 2.0 allows 'md5$' recipient hashes and WebCrypto has no MD5 (RFC 1321).
  function md5(bytes) {
    var S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21], K = [];
    for (var i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) >>> 0;
    var len = bytes.length, nWords = (((len + 8) >> 6) + 1) * 16, w = new Uint32Array(nWords);
    for (i = 0; i < len; i++) w[i >> 2] |= bytes[i] << ((i % 4) * 8);
    w[len >> 2] |= 0x80 << ((len % 4) * 8);
    w[nWords - 2] = (len * 8) >>> 0;
    w[nWords - 1] = Math.floor(len / 0x20000000);
    var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    for (var b = 0; b < nWords; b += 16) {
      var A = h[0], B = h[1], C = h[2], D = h[3];
      for (i = 0; i < 64; i++) {
        var F, g;
        if (i < 16) { F = (B & C) | (~B & D); g = i; }
        else if (i < 32) { F = (D & B) | (~D & C); g = (5 * i + 1) % 16; }
        else if (i < 48) { F = B ^ C ^ D; g = (3 * i + 5) % 16; }
        else { F = C ^ (B | ~D); g = (7 * i) % 16; }
        F = (F + A + K[i] + w[b + g]) >>> 0;
        var s = S[(i >> 4) * 4 + (i % 4)];
        A = D; D = C; C = B;
        B = (B + ((F << s) | (F >>> (32 - s)))) >>> 0;
      }
      h = [(h[0] + A) >>> 0, (h[1] + B) >>> 0, (h[2] + C) >>> 0, (h[3] + D) >>> 0];
    }
    return hex(h, true);
  }

  async function digestHex(algorithm, text) {
    var bytes = new TextEncoder().encode(text);
    if (algorithm === "md5") return md5(bytes);
    // crypto.subtle exists only in secure contexts: https, or http on localhost/127.0.0.1.
    if (window.crypto && window.crypto.subtle) {
      var digest = new Uint8Array(await window.crypto.subtle.digest("SHA-256", bytes));
      return Array.from(digest, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    }
    return sha256Fallback(bytes);
  }

  /* ---------- checks (mirror badgepress/verify_checks.py) ---------- */

  // A stranger's value in a message, as JSON (as verify_checks.shown writes it).
  function shown(v) { return v == null ? "nothing" : JSON.stringify(v); }
  function asList(v) { return v == null ? [] : Array.isArray(v) ? v : [v]; }
  function idOf(v) { return typeof v === "string" ? v : v && typeof v.id === "string" ? v.id : null; }
  function isHttp(u) { return typeof u === "string" && /^https?:\/\//.test(u); }
  function hostOf(u) { try { return new URL(u).host.toLowerCase(); } catch (e) { return ""; } }
  function day(d) { return d.toISOString().slice(0, 10); }

  function parseDate(v) {
    if (typeof v === "number") { var t = new Date(v * 1000); return isNaN(t.getTime()) ? null : t; }
    if (typeof v !== "string" || !v.trim()) return null;
    var text = v.trim();
    // No zone means UTC, as in the Python verifier (JavaScript would read it as local time).
    if (/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text)) text += "Z";
    var d = new Date(text);
    return isNaN(d.getTime()) ? null : d;
  }

  function missingFields(doc, kind) {
    return REQUIRED[kind].filter(function (k) {
      var v = doc[k];
      return v == null || v === "" || (Array.isArray(v) && !v.length) || (typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length);
    });
  }

  function checkDocument(doc, url, kind, aliases) {
    var label = LABELS[kind], out = [], missing = missingFields(doc, kind);
    var types = asList(doc.type).filter(function (t) { return typeof t === "string"; }).map(function (t) { return t.split(":").pop(); });
    if (missing.length) out.push(fail(label + " fields", url + " lacks " + missing.join(", ")));
    else if (!types.some(function (t) { return TYPES[kind].indexOf(t) >= 0; }))
      out.push(fail(label + " fields", url + " has type " + (types.join(", ") || "nothing") + ", expected " + TYPES[kind].join(" or ")));
    else out.push(pass(label + " fields", label + " has every required field"));
    // OB 2.0 hosted verification: a document's id is the URL it is hosted at.
    if (doc.id === url || (doc.id != null && (aliases || []).indexOf(doc.id) >= 0))
      out.push(pass(label + " id", "id is the URL it was fetched from: " + url));
    else out.push(fail(label + " id", label + " id " + shown(doc.id) + " is not its URL " + url));
    return out;
  }

  function checkOrigin(assertionUrl, issuer) {
    var name = "issuer origin";
    var policy = issuer.verification && typeof issuer.verification === "object" ? issuer.verification : {};
    var starts = asList(policy.startsWith).filter(function (s) { return typeof s === "string"; });
    var allowed = asList(policy.allowedOrigins).filter(function (s) { return typeof s === "string"; }).map(function (s) { return s.toLowerCase(); });
    // As the official validator does: allowedOrigins defaults to the issuer id's authority.
    var origins = allowed.length ? allowed : [hostOf(String(issuer.id || ""))];
    var host = hostOf(assertionUrl), hostname = "";
    try { hostname = new URL(assertionUrl).hostname; } catch (e) { /* not a URL: no hostname */ }
    if (starts.length && !starts.some(function (s) { return assertionUrl.indexOf(s) === 0; }))
      return fail(name, assertionUrl + " does not start with " + starts.join(" or "));
    // An explicit allowedOrigins entry may name just the host ("the host registered name").
    var names = allowed.length ? [host, hostname] : [host];
    if (!names.some(function (n) { return origins.indexOf(n) >= 0; }))
      return fail(name, "the assertion is hosted on " + host + ", but the issuer allows only " + origins.join(", "));
    return pass(name, "the assertion is hosted where the issuer allows (" + host + ")");
  }

  async function checkRecipient(recipient, email) {
    var name = "recipient";
    if (email == null) return skip(name, "no email given: not checked who the badge was issued to");
    if (!recipient || typeof recipient.identity !== "string") return fail(name, "the assertion has no recipient identity");
    var kind = recipient.type || "email";
    if (kind !== "email") return fail(name, "the badge was issued to a " + kind + ", not an email address");
    var identity = recipient.identity, matches = false;
    // Emails compare lowercased; the address as typed is tried too (issuers that hashed it verbatim).
    var candidates = [email.trim().toLowerCase(), email.trim()];
    if (recipient.hashed === true || identity.indexOf("$") >= 0) {
      var algorithm = identity.split("$")[0], digest = identity.slice(identity.indexOf("$") + 1);
      if (algorithm.toLowerCase() !== "sha256" && algorithm.toLowerCase() !== "md5") return fail(name, "unknown recipient hash " + shown(algorithm), "unsupported");
      for (var i = 0; i < candidates.length && !matches; i++)
        matches = (await digestHex(algorithm.toLowerCase(), candidates[i] + String(recipient.salt || ""))) === digest.toLowerCase();
    } else {
      matches = identity.trim().toLowerCase() === candidates[0];
    }
    return matches ? pass(name, "issued to this email address")
      : fail(name, "the badge was not issued to this email address", "wrong_recipient");
  }

  function revokedMessage(reason) {
    return typeof reason === "string" && reason.trim() ? "revoked: " + reason : "revoked";
  }

  function checkRevokedAssertion(assertion) {
    // OB 2.0: a revoked hosted assertion answers with revoked: true and a revocationReason.
    if (assertion.revoked === true) return fail("not revoked", revokedMessage(assertion.revocationReason), "revoked");
    return pass("not revoked", "the assertion is not marked revoked");
  }

  function checkRevocationList(assertionUrl, list) {
    var name = "revocation list";
    if (!list) return skip(name, "the issuer publishes no revocation list");
    var entries = asList(list.revokedAssertions);
    for (var i = 0; i < entries.length; i++) {
      if (idOf(entries[i]) === assertionUrl)
        return fail(name, revokedMessage(entries[i] && entries[i].revocationReason), "revoked");
    }
    return pass(name, "not on the issuer's revocation list");
  }

  function checkDates(assertion, now) {
    var out = [], issued = parseDate(assertion.issuedOn);
    if (!issued) out.push(fail("issued on", "issuedOn " + shown(assertion.issuedOn) + " is not a date"));
    else if (issued > now) out.push(fail("issued on", "issued in the future (" + day(issued) + ")"));
    else out.push(pass("issued on", "issued " + day(issued)));
    if (!("expires" in assertion)) { out.push(pass("not expired", "the badge does not expire")); return out; }
    var expires = parseDate(assertion.expires);
    if (!expires) out.push(fail("not expired", "expires " + shown(assertion.expires) + " is not a date"));
    else if (expires <= now) out.push(fail("not expired", "expired on " + day(expires), "expired"));
    else out.push(pass("not expired", "valid until " + day(expires)));
    return out;
  }

  function checkVerificationType(assertion) {
    var kind = assertion.verification && assertion.verification.type;
    if (typeof kind === "string") kind = kind.split(":").pop();
    if (kind === "hosted" || kind === "HostedBadge") return pass("verification", "hosted verification");
    if (kind === "signed" || kind === "SignedBadge") return fail("verification", "signed badges are not checked here", "unsupported");
    return fail("verification", "unknown verification type " + shown(kind));
  }

  function checkBakedUrl(baked, assertionUrl) {
    if (baked === assertionUrl) return pass("baked URL", "the image carries the assertion's URL");
    return fail("baked URL", "the image carries " + baked + ", but the assertion's id is " + assertionUrl);
  }

  /* ---------- the verification ---------- */

  /** The document at `url`; `first`: the URL given to check, whose answer is the badge itself. */
  async function get(checks, url, what, first) {
    try {
      var response = await fetchBytes(url);
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      if (err.status === 404 || err.status === 410)
        checks.push(fail(what + " fetched", "the issuer has no " + what + " at " + url + " (HTTP " + err.status + ")"));
      // Larger than any badge: an answer about the badge, not a failure to reach it.
      else if (err.tooLarge) checks.push(fail(what + " fetched", err.message, first ? "not_a_badge" : "invalid"));
      else checks.push(fail(what + " fetched", err.message, "unreachable"));
      throw new Stop();
    }
    checks.push(pass(what + " fetched", url));
    return response;
  }

  function json(checks, response, what, notABadge) {
    try { return parseJson(response.body, response.requested); } catch (err) {
      checks.push(fail(what + " fetched", err.message, notABadge ? "not_a_badge" : "invalid"));
      throw new Stop();
    }
  }

  function linked(checks, value, what) {
    var url = idOf(value);
    if (!isHttp(url)) {
      checks.push(fail(what + " fetched", "no http(s) URL for the " + what + ": " + shown(value)));
      throw new Stop();
    }
    return url;
  }

  async function bakedUrl(checks, bytes) {
    var carried;
    try { carried = (isPng(bytes) ? await unbakePng(bytes) : unbakeSvg(bytes)).trim(); } catch (err) {
      if (!(err instanceof NotABadge)) throw err;
      checks.push(fail("badge data", err.message, "not_a_badge"));
      throw new Stop();
    }
    checks.push(pass("badge data", "the image carries Open Badges data"));
    var url = null;
    if (carried.charAt(0) === "{") { try { url = idOf(JSON.parse(carried)); } catch (e) { url = null; } }
    else if (isHttp(carried)) url = carried;
    // A JWS in compact serialization (RFC 7515 §7.1): OB 2.0 signed verification, not hosted.
    else if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(carried)) { checks.push(fail("badge data", "a signed (JWS) badge: not checked here", "unsupported")); throw new Stop(); }
    if (!isHttp(url)) { checks.push(fail("badge data", "the baked data names no assertion URL", "not_a_badge")); throw new Stop(); }
    return url;
  }

  /* ---------- Open Badges 3.0 (signed credentials) ----------
   * Status list, dates, the issuer's did:web key and the recipient are checked here; the
   * eddsa-rdfc-2022 signature needs JSON-LD canonicalization, which `badgepress verify`
   * (badgepress/verify_ob3.py) and wallets do. */

  function isCredential(doc) { return asList(doc && doc.type).indexOf("VerifiableCredential") >= 0; }

  /** The credential an image carries (OB 3.0 baking: PNG 'openbadgecredential', SVG openbadges:credential), or null. */
  async function bakedCredential(bytes) {
    var text = null;
    if (isPng(bytes)) {
      try { text = await unbakePng(bytes, "openbadgecredential"); } catch (err) { if (!(err instanceof NotABadge)) throw err; }
    } else {
      var svg = new DOMParser().parseFromString(new TextDecoder().decode(bytes), "image/svg+xml");
      var node = svg.getElementsByTagNameNS("https://purl.imsglobal.org/ob/v3p0", "credential")[0];
      text = node ? node.textContent.trim() : null;
    }
    if (!text || text.charAt(0) !== "{") return null;
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function stableJson(v) {
    if (Array.isArray(v)) return "[" + v.map(stableJson).join(",") + "]";
    if (v && typeof v === "object")
      return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + stableJson(v[k]); }).join(",") + "}";
    return JSON.stringify(v);
  }

  /** The credential with `proof` always a list: a wallet's copy may hold the issuer's one
   * proof as an object where the issuer now hosts it as a one-proof list. Same proof, same badge. */
  function withProofList(doc) {
    if (!doc || typeof doc !== "object" || !("proof" in doc)) return doc;
    var copy = Object.assign({}, doc);
    copy.proof = asList(doc.proof);
    return copy;
  }

  var ELSEWHERE = "Check its signature in a wallet, an Open Badges 3.0 verifier such as VerifierPlus, or with `badgepress verify`.";

  /** The credential against the copy its issuer hosts. Identical: the issuer vouches for it.
   * Different under the same proof: altered after signing (a forger cannot make a new proof).
   * Different with another proof: an older copy (issued before the issuer re-signed, e.g.
   * after a key rotation or a new badgepress) or a forgery; only its signature, which needs
   * JSON-LD canonicalization, tells which: the page cannot say "Not valid". */
  function compareWithHosted(credential, hosted, hostedUrl) {
    var ours = withProofList(credential), theirs = withProofList(hosted);
    if (stableJson(ours) === stableJson(theirs)) return pass("issuer's copy", "identical to the credential the issuer hosts at " + hostedUrl);
    var theirProofs = asList(theirs.proof).map(stableJson);
    var sameProof = asList(ours.proof).some(function (p) { return theirProofs.indexOf(stableJson(p)) >= 0; });
    if (sameProof) return fail("issuer's copy", "differs from the credential the issuer hosts at " + hostedUrl + " under the same signature: altered after signing");
    return fail("issuer's copy", "differs from the credential the issuer hosts now at " + hostedUrl + ", and is signed differently: an older copy, or not the issuer's. " + ELSEWHERE, "unsupported");
  }

  /** did:web §3.2: did:web:host → https://host/.well-known/did.json, did:web:host:a:b → https://host/a/b/did.json. */
  function didWebUrl(did) {
    var parts = String(did).split(":");
    if (parts.length < 3 || parts[0] !== "did" || parts[1] !== "web") return null;
    var path = parts.slice(3).map(decodeURIComponent).join("/");
    return "https://" + decodeURIComponent(parts[2]) + (path ? "/" + path + "/did.json" : "/.well-known/did.json");
  }

  /** Bitstring Status List: multibase base64url of a GZIP'd bitstring; index 0 is the first byte's top bit. */
  async function statusBit(encoded, index) {
    if (typeof encoded !== "string" || encoded.charAt(0) !== "u") throw new Error("not multibase base64url");
    var b64 = encoded.slice(1).replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var packed = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var bits = await inflate(packed, "gzip", "the status list");
    if (!(index >= 0 && index < bits.length * 8)) throw new Error("index outside the list");
    return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
  }

  function checkCredentialDates(credential, now) {
    var from = parseDate(credential.validFrom), until = parseDate(credential.validUntil);
    if (("validFrom" in credential && !from) || ("validUntil" in credential && !until))
      return fail("dates", "validFrom or validUntil is not a date-time");
    if (from && now < from) return fail("dates", "not valid before " + day(from));
    if (until && now > until) return fail("dates", "expired on " + day(until), "expired");
    return pass("dates", until ? "valid until " + day(until) : "valid from " + (from ? day(from) : "issue"));
  }

  /** The issuer's did:web key and, in place of the signature, the issuer's hosted copy. */
  async function checkIssuerAndCopy(checks, credential, did) {
    // One proof object (credentials already in wallets) or a proof set (a list, as badgepress
    // emits it since the 1EdTech schemas require one): the key is the first eddsa-rdfc-2022 one's.
    var proofs = asList(credential.proof);
    if (!proofs.length) { checks.push(fail("signature (eddsa-rdfc-2022)", "the credential carries no proof")); return; }
    var proof = proofs.filter(function (p) { return p && p.type === "DataIntegrityProof" && p.cryptosuite === "eddsa-rdfc-2022"; })[0];
    if (!proof) {
      var found = proofs.map(function (p) { return shown(p && p.type) + " with cryptosuite " + shown(p && p.cryptosuite); }).join(", ");
      checks.push(fail("signature (eddsa-rdfc-2022)", "the proof is not one this page can check (a DataIntegrityProof with eddsa-rdfc-2022); found " + found + ". " + ELSEWHERE, "unsupported"));
      return;
    }
    var method = proof.verificationMethod, didUrl = didWebUrl(did);
    if (!didUrl || typeof method !== "string" || method.indexOf(did + "#") !== 0) {
      checks.push(fail("issuer key (did:web)", "the proof's key " + shown(method) + " does not belong to the issuer " + shown(did)));
    } else {
      var didDoc = json(checks, await get(checks, didUrl, "DID document"), "DID document");
      checks.push(didDoc.id === did && asList(didDoc.assertionMethod).map(idOf).indexOf(method) >= 0
        ? pass("issuer key (did:web)", "the key is an assertion method in the issuer's DID document")
        : fail("issuer key (did:web)", method + " is not an assertion method of " + did));
    }
    // The signature needs JSON-LD canonicalization, not available here. Instead the credential
    // must equal the copy its issuer hosts at its id on the DID's own host: the OB 2.0 hosted
    // guarantee. With no such copy the page cannot vouch for it.
    var hostedUrl = credential.id;
    if (isHttp(hostedUrl) && didUrl && hostOf(hostedUrl) === hostOf(didUrl)) {
      var hosted = json(checks, await get(checks, hostedUrl, "hosted credential"), "hosted credential");
      checks.push(compareWithHosted(credential, hosted, hostedUrl));
      checks.push(skip("signature (eddsa-rdfc-2022)", "not checked in the browser (the issuer's hosted copy was compared instead); `badgepress verify` checks it"));
    } else {
      checks.push(fail("signature (eddsa-rdfc-2022)", "cannot be checked in the browser and the issuer hosts no copy to compare. " + ELSEWHERE, "unsupported"));
    }
  }

  async function runCredential(report, credential, email, now) {
    var checks = report.checks, did = idOf(credential.issuer) || "";
    var subject = credential.credentialSubject || {}, achievement = subject.achievement || {};
    report.badge.name = achievement.name || credential.name;
    report.badge.issuer = (credential.issuer && credential.issuer.name) || did;
    if (typeof credential.id === "string") report.badge.id = credential.id;
    if (credential.validUntil) report.badge.expires = credential.validUntil;

    await checkIssuerAndCopy(checks, credential, did);
    checks.push(checkCredentialDates(credential, now));

    var entries = asList(credential.credentialStatus);
    if (!entries.length) checks.push(skip("status list", "the credential names no status list"));
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i] || {};
      if (entry.type !== "BitstringStatusListEntry" || !isHttp(entry.statusListCredential)) {
        checks.push(fail("status list", "unsupported credentialStatus " + shown(entry.type), "unsupported"));
        continue;
      }
      var list = json(checks, await get(checks, entry.statusListCredential, "status list"), "status list");
      if (idOf(list.issuer) !== did) { checks.push(fail("status list", "the status list was issued by someone else")); continue; }
      var index = parseInt(entry.statusListIndex, 10), set;
      try { set = await statusBit((list.credentialSubject || {}).encodedList, index); } catch (err) {
        checks.push(fail("status list", "the status list is malformed: " + err.message));
        continue;
      }
      var purpose = entry.statusPurpose || "revocation";
      checks.push(!set ? pass("status list", "not " + (purpose === "revocation" ? "revoked" : "marked for " + purpose) + " in the issuer's status list")
        : fail("status list", purpose === "revocation" ? "revoked by the issuer" : "marked for " + purpose, purpose === "revocation" ? "revoked" : "invalid"));
    }

    var identity = asList(subject.identifier).filter(function (x) { return x && x.identityType === "emailAddress"; })[0];
    checks.push(await checkRecipient(identity ? { type: "email", hashed: identity.hashed, salt: identity.salt, identity: identity.identityHash } : null, email));
  }

  /** Verify {url} or {bytes} (a baked image), optionally for `email`, giving up after
   * `timeout` milliseconds (default TIMEOUT_MS). Resolves to a report. */
  async function verify(input, email, now, timeout) {
    var report = { checks: [], badge: {} };
    now = now || new Date();
    timeoutMs = timeout || TIMEOUT_MS;
    deadline = Date.now() + timeoutMs;
    try {
      await run(report, input, email, now);
    } catch (err) {
      if (!(err instanceof Stop)) throw err;
    }
    report.verdict = verdictOf(report.checks);
    return report;
  }

  async function run(report, input, email, now) {
    var checks = report.checks, baked = null, response;
    if (input.url) {
      if (!isHttp(input.url)) { checks.push(fail("badge data", "not an http(s) URL: " + input.url, "not_a_badge")); throw new Stop(); }
      response = await get(checks, input.url, "assertion", true);
      if (isPng(response.body) || isSvg(response.body)) {
        checks[checks.length - 1] = pass("image fetched", input.url);
        input = { bytes: response.body };
      }
    }
    if (input.bytes) {
      if (!isPng(input.bytes) && !isSvg(input.bytes)) {
        checks.push(fail("badge data", "not a PNG or SVG image", "not_a_badge"));
        throw new Stop();
      }
      var carried = await bakedCredential(input.bytes);
      if (carried) {
        checks.push(pass("badge data", "the image carries an Open Badges 3.0 credential"));
        return runCredential(report, carried, email, now);
      }
      baked = await bakedUrl(checks, input.bytes);
      response = await get(checks, baked, "assertion", true);
    }
    var assertion = json(checks, response, "assertion", baked === null);
    if (baked === null && isCredential(assertion)) return runCredential(report, assertion, email, now);
    var url = response.requested, aliases = [response.url];
    if (baked !== null) checks.push(checkBakedUrl(baked, assertion.id));
    if (assertion.revoked === true) {
      report.badge.revocationReason = assertion.revocationReason;
      if (missingFields(assertion, "Assertion").length) {
        // A revoked assertion may shrink to {id, revoked, revocationReason}; its id must still hold.
        checks.push(checkDocument(assertion, url, "Assertion", aliases)[1]);
        checks.push(checkRevokedAssertion(assertion));
        throw new Stop();
      }
    }
    checks.push.apply(checks, checkDocument(assertion, url, "Assertion", aliases));
    checks.push(checkVerificationType(assertion));
    ["id", "issuedOn", "expires", "image"].forEach(function (k) { if (k in assertion) report.badge[k] = assertion[k]; });

    var badgeUrl = linked(checks, assertion.badge, "badge class");
    var badgeResponse = await get(checks, badgeUrl, "badge class");
    var badge = json(checks, badgeResponse, "badge class");
    checks.push.apply(checks, checkDocument(badge, badgeUrl, "BadgeClass", [badgeResponse.url]));
    report.badge.name = badge.name;
    if (!report.badge.image) report.badge.image = idOf(badge.image);

    var issuerUrl = linked(checks, badge.issuer, "issuer");
    var issuerResponse = await get(checks, issuerUrl, "issuer");
    var issuer = json(checks, issuerResponse, "issuer");
    checks.push.apply(checks, checkDocument(issuer, issuerUrl, "Issuer", [issuerResponse.url]));
    report.badge.issuer = issuer.name;
    // The id names the assertion when it is a URL at all (a failed id check already says so).
    var assertionUrl = (typeof assertion.id === "string" && assertion.id) || url;
    checks.push(checkOrigin(assertionUrl, issuer));

    checks.push(checkRevokedAssertion(assertion));
    var list = null, listUrl = idOf(issuer.revocationList);
    if (listUrl) list = json(checks, await get(checks, listUrl, "revocation list"), "revocation list");
    checks.push(checkRevocationList(assertionUrl, list));
    checks.push.apply(checks, checkDates(assertion, now));
    checks.push(await checkRecipient(assertion.recipient, email));
  }

  /* ---------- the page ---------- */

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text; // never innerHTML: every string here comes from a stranger
    return node;
  }

  var MARKS = { pass: "✓", fail: "✗", skip: "–" };

  function addStrings(ours) {
    if (!ours || typeof ours !== "object") return;
    Object.keys(ours).forEach(function (k) {
      if (k === "verdicts" && ours.verdicts && typeof ours.verdicts === "object") Object.keys(ours.verdicts).forEach(function (v) { STRINGS.verdicts[v] = String(ours.verdicts[v]); });
      else if (typeof ours[k] === "string") STRINGS[k] = ours[k];
      else if (/^check_/.test(k) && ours[k] && typeof ours[k] === "object") STRINGS[k] = ours[k]; // the check lines
    });
  }

  function loadStrings() {
    var node = document.getElementById("verify-strings");
    if (!node) return;
    try { addStrings(JSON.parse(node.textContent)); } catch (err) { /* a broken override keeps the English strings */ }
  }

  // An earner page carries no check lines (9 KB on each of thousands of pages): its form names
  // the file the build writes once for the site's language (data-lines; none in English),
  // fetched beside the verification. A failed or slow fetch leaves the lines in English.
  var LINES_WAIT_MS = 5000;
  var linesLoaded = null;

  function loadLines(url) {
    if (!url || STRINGS.check_lines) return Promise.resolve();
    if (!linesLoaded) {
      linesLoaded = fetch(new URL(url, location.href).href)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(addStrings)
        .catch(function () { linesLoaded = null; }); // English now; the next verify tries again
    }
    var wait = new Promise(function (resolve) { setTimeout(resolve, LINES_WAIT_MS); });
    return Promise.race([linesLoaded, wait]);
  }

  /** A page string with its {name} placeholders filled in (as text: never markup). */
  function say(key, values) {
    return STRINGS[key].replace(/\{(\w+)\}/g, function (all, name) { return values && name in values ? String(values[name]) : all; });
  }

  var linePatterns = null; // [id, RegExp, placeholder names], built on first use

  /** A check's name in the page's language (English when the page's strings lack it). */
  function localName(name) {
    var names = STRINGS.check_names || {};
    for (var id in CHECK_NAMES) if (CHECK_NAMES[id] === name && names[id]) return names[id];
    return name;
  }

  /** A check's message in the page's language: matched against CHECK_LINES, its values kept
   * (a {what} translated, a {message} translated in turn); English when nothing matches. */
  function localLine(message) {
    var lines = STRINGS.check_lines || {}, things = STRINGS.check_things || {};
    if (typeof message !== "string" || !Object.keys(lines).length) return message;
    if (!linePatterns) {
      linePatterns = Object.keys(CHECK_LINES).map(function (id) {
        var names = [], source = CHECK_LINES[id].replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, function (all, name) {
          names.push(name);
          return "([\\s\\S]+?)";
        });
        return [id, new RegExp("^" + source + "$"), names];
      });
    }
    for (var i = 0; i < linePatterns.length; i++) {
      var id = linePatterns[i][0], match = linePatterns[i][1].exec(message);
      if (!match || !lines[id]) continue;
      var values = {};
      linePatterns[i][2].forEach(function (name, k) {
        var value = match[k + 1];
        if (name === "what") {
          for (var thing in CHECK_THINGS) if (CHECK_THINGS[thing] === value && things[thing]) value = things[thing];
        } else if (name === "message") value = localLine(value);
        values[name] = value;
      });
      return lines[id].replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
    }
    return message;
  }

  /** A date as the pages write it: the long form in the page's language (the pages' Babel
   * "long" format is the same CLDR pattern), the calendar day in UTC as the records give it. */
  function longDate(d) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || "en", { dateStyle: "long", timeZone: "UTC" }).format(d);
    } catch (err) {
      return day(d);
    }
  }

  /** The earner page of a badge this site issued (`sameSite`: the verify page's
   * data-same-site, the ids this site gives its badges with {id} in them), or null. */
  function earnerPage(sameSite, id) {
    if (!sameSite || typeof id !== "string") return null;
    var found = null;
    (sameSite.ids || []).forEach(function (pattern) {
      var at = pattern.indexOf("{id}"), head = pattern.slice(0, at), tail = pattern.slice(at + 4);
      if (found || at < 0 || !id.startsWith(head) || !id.endsWith(tail) || id.length <= head.length + tail.length) return;
      var badgeId = id.slice(head.length, id.length - tail.length);
      // badgepress's assertion ids (content/load.py ASSERTION_ID): nothing else makes a path.
      if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(badgeId)) found = sameSite.page.replace("{id}", badgeId);
    });
    return found;
  }

  function show(target, report, imageSrc, sameSite) {
    var v = report.verdict, badge = report.badge, label = STRINGS.verdicts[v.code] || v.label;
    target.replaceChildren();
    target.dataset.verdict = v.code;
    var box = el("div", { class: "verdict verdict-" + v.code });
    var src = imageSrc || (isHttp(badge.image) ? badge.image : null);
    if (src && v.code !== "not_a_badge") {
      var image = el("img", { class: "verdict-badge", src: src, alt: badge.name ? say("badge_alt", { name: badge.name }) : STRINGS.the_badge, width: "120", height: "120" });
      image.addEventListener("error", function () { image.remove(); }); // no broken-image box
      box.appendChild(image);
    }
    var text = el("div");
    text.appendChild(el("p", { class: "verdict-label" }, label));
    if (v.code === "revoked") text.appendChild(el("p", { class: "verdict-reason" }, badge.revocationReason ? say("reason", { reason: badge.revocationReason }) : localLine(v.reason)));
    else if (v.code !== "valid") text.appendChild(el("p", { class: "verdict-reason" }, localLine(v.reason)));
    var recipient = report.checks.filter(function (c) { return c.name === "recipient"; })[0];
    if (v.code === "valid" && recipient && recipient.status === "skip")
      text.appendChild(el("p", { class: "verdict-reason" }, STRINGS.not_checked_recipient));
    if (badge.name) text.appendChild(el("p", null, badge.issuer ? say("issued_by", { name: badge.name, issuer: badge.issuer }) : badge.name));
    var dates = [];
    var issued = parseDate(badge.issuedOn), expires = parseDate(badge.expires);
    if (issued) dates.push(say("issued", { date: longDate(issued) }));
    if (expires) dates.push(say(expires <= new Date() ? "expired" : "expires", { date: longDate(expires) }));
    if (dates.length) text.appendChild(el("p", null, dates.join(" · ")));
    // A valid badge of this site: its earner page shows the earner's name where they consented.
    var earner = v.code === "valid" ? earnerPage(sameSite, badge.id) : null;
    if (earner) {
      var open = el("p", { class: "verdict-earner" });
      open.appendChild(el("a", { class: "button button-quiet", href: earner }, STRINGS.open_earner_page));
      text.appendChild(open);
    }
    box.appendChild(text);
    target.appendChild(box);
    var details = el("details", { class: "verdict-checks" });
    details.appendChild(el("summary", null, say("checked", { count: report.checks.length })));
    var list = el("ul");
    report.checks.forEach(function (c) {
      var item = el("li", { class: "check-" + c.status });
      item.appendChild(el("span", { "aria-hidden": "true" }, MARKS[c.status] + " "));
      item.appendChild(el("span", { class: "visually-hidden" }, STRINGS[{ pass: "passed", fail: "failed", skip: "skipped" }[c.status]] + ": "));
      item.appendChild(document.createTextNode(say("check_line", { name: localName(c.name), message: localLine(c.message) })));
      list.appendChild(item);
    });
    details.appendChild(list);
    target.appendChild(details);
  }

  function busy(target, text) {
    target.replaceChildren(el("p", { class: "verdict-busy" }, text));
    target.dataset.verdict = "";
  }

  async function runAndShow(target, input, email, imageSrc, sameSite, strings) {
    busy(target, STRINGS.checking);
    var report;
    try {
      report = await verify(input, email);
    } catch (err) {
      report = { checks: [fail("verifier", String(err && err.message || err), "unsupported")], badge: {} };
      report.verdict = verdictOf(report.checks);
    }
    await strings;
    show(target, report, imageSrc, sameSite);
    return report;
  }

  function emailOf(input) {
    var value = input && input.value.trim();
    return value ? value : null;
  }

  function readFile(file) {
    return file.arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
  }

  function wireVerifyPage(form) {
    var fileInput = form.querySelector("[name=file]");
    var urlInput = form.querySelector("[name=url]");
    var emailInput = form.querySelector("[name=email]");
    var zone = form.querySelector("[data-dropzone]");
    var chosen = form.querySelector("[data-chosen]");
    var result = document.getElementById(form.dataset.result);
    var file = null, sameSite = null;
    try { sameSite = JSON.parse(form.dataset.sameSite || "null"); } catch (err) { /* a broken override: no link */ }

    function choose(f) {
      file = f || null;
      chosen.textContent = file ? say("selected", { file: file.name }) : "";
      if (file) urlInput.value = "";
    }
    fileInput.addEventListener("change", function () { choose(fileInput.files[0]); });
    urlInput.addEventListener("input", function () { if (urlInput.value) { choose(null); fileInput.value = ""; } });
    // The file input inside the zone is its keyboard control; a click on the zone's background opens it too.
    zone.addEventListener("click", function (event) { if (event.target === zone) fileInput.click(); });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      var f = event.dataTransfer && event.dataTransfer.files[0];
      if (f) { choose(f); form.requestSubmit(); }
    });
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var email = emailOf(emailInput);
      if (file) {
        var bytes = await readFile(file);
        var imageSrc = isPng(bytes) || isSvg(bytes) ? URL.createObjectURL(new Blob([bytes], { type: isPng(bytes) ? "image/png" : "image/svg+xml" })) : null;
        await runAndShow(result, { bytes: bytes }, email, imageSrc, sameSite);
      } else if (urlInput.value.trim()) {
        await runAndShow(result, { url: new URL(urlInput.value.trim(), location.href).href }, email, null, sameSite);
      } else {
        result.replaceChildren(el("p", { class: "verdict-busy" }, STRINGS.choose_first));
      }
      form.dataset.done = "true";
    });
    var fromQuery = new URLSearchParams(location.search).get("url");
    if (fromQuery) { urlInput.value = fromQuery; form.requestSubmit(); }
  }

  function wireInPlace(form) {
    var result = document.getElementById(form.dataset.result);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var lines = loadLines(form.dataset.lines);
      await runAndShow(result, { url: form.dataset.url }, emailOf(form.querySelector("[name=email]")), null, null, lines);
      form.dataset.done = "true";
    });
  }

  function init() {
    loadStrings();
    if (!window.isSecureContext || !(window.crypto && window.crypto.subtle)) {
      // Not an error: hashing falls back to plain JavaScript, it is only slower.
      document.documentElement.dataset.insecureContext = "true";
    }
    document.querySelectorAll("form[data-verify-page]").forEach(wireVerifyPage);
    document.querySelectorAll("form[data-verify-in-place]").forEach(wireInPlace);
  }

  window.badgepressVerify = { verify: verify, unbakePng: unbakePng, unbakeSvg: unbakeSvg, md5: md5, sha256Fallback: sha256Fallback, digestHex: digestHex };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
