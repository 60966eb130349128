// Lighthouse on a list of pages, one run at a time, each in a fresh headless Chromium.
// Usage: node audit.mjs plan.json > results.json
//   plan.json: {"cpuSlowdownMultiplier": 1,
//               "runs": [{"name": "home", "url": "http://127.0.0.1:PORT/", "categories": ["performance", ...]}]}
// Prints {"results": [{name, url, ms, scores, failing, metrics, errored, benchmarkIndex, warnings}]},
// one per run in plan order, or {name, url, ms, error} for a page Lighthouse refused (e.g.
// ERRORED_DOCUMENT_REQUEST: it audits no document answered with a 4xx status).
// Chromium is $CHROME_PATH (tests/lighthouse/test_lighthouse.py passes Debian's /usr/bin/chromium).
import {readFileSync} from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

// Lighthouse's mobile settings (Moto G Power, "slow 4G"), restated because a `throttling` object
// replaces the default one whole: only the CPU multiplier is the plan's.
const MOBILE_SLOW_4G = {
  rttMs: 150, throughputKbps: 1638.4, requestLatencyMs: 562.5,
  downloadThroughputKbps: 1474.56, uploadThroughputKbps: 675,
};

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const run of plan.runs) {
  // A fresh browser (and profile) per run, as Lighthouse's CLI does: a reused one remembers a
  // missing /favicon.ico and stops asking for it, which hides errors-in-console on later pages.
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH,
    // chrome-launcher's defaults already turn off background networking, component updates,
    // sync and first-run pages; running as root needs --no-sandbox.
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic'],
    logLevel: 'silent',
  });
  const started = Date.now();
  try {
    const flags = {port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: run.categories};
    const config = {
      extends: 'lighthouse:default',
      settings: {
        formFactor: 'mobile', // the default, stated so a report says what was measured
        screenEmulation: {mobile: true, width: 412, height: 823, deviceScaleFactor: 1.75, disabled: false},
        throttlingMethod: 'simulate',
        throttling: {...MOBILE_SLOW_4G, cpuSlowdownMultiplier: plan.cpuSlowdownMultiplier},
      },
    };
    const {lhr} = await lighthouse(run.url, flags, config);
    results.push(summarise(run, lhr, Date.now() - started));
  } finally {
    await chrome.kill();
  }
}
console.log(JSON.stringify({results}, null, 1));

function summarise(run, lhr, ms) {
  if (lhr.runtimeError) return {name: run.name, url: run.url, ms, error: lhr.runtimeError.code};
  const audits = lhr.audits;
  const scores = Object.fromEntries(
    Object.entries(lhr.categories).map(([id, category]) => [id, Math.round(category.score * 100)]));
  // Every scored audit below 1, with its weight: what a failing assertion shows.
  const failing = [];
  for (const [categoryId, category] of Object.entries(lhr.categories)) {
    for (const ref of category.auditRefs) {
      const audit = audits[ref.id];
      if (audit.score === null || audit.score >= 1) continue;
      if (['notApplicable', 'manual', 'informative', 'error'].includes(audit.scoreDisplayMode)) continue;
      failing.push({
        category: categoryId, id: ref.id, weight: ref.weight, score: audit.score,
        display: audit.displayValue || '',
        // What the audit points at (e.g. is-crawlable: the robots meta), for the message.
        snippets: (audit.details?.items ?? []).slice(0, 3)
          .map(item => item.source?.snippet ?? item.node?.snippet ??
            [item.description, item.sourceLocation?.url ?? item.url].filter(Boolean).join(' '))
          .filter(Boolean),
      });
    }
  }
  const metric = id => audits[id]?.numericValue ?? null;
  return {
    name: run.name, url: run.url, ms, scores, failing,
    metrics: {
      fcp: metric('first-contentful-paint'), lcp: metric('largest-contentful-paint'),
      tbt: metric('total-blocking-time'), cls: metric('cumulative-layout-shift'),
      si: metric('speed-index'),
    },
    errored: Object.values(audits).filter(audit => audit.scoreDisplayMode === 'error').map(audit => audit.id),
    formFactor: lhr.configSettings.formFactor,
    cpuSlowdownMultiplier: lhr.configSettings.throttling.cpuSlowdownMultiplier,
    benchmarkIndex: lhr.environment.benchmarkIndex,
    warnings: lhr.runWarnings,
  };
}
