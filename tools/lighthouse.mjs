// Lighthouse on one page, RUNS times, signed in by a cookie in the browser's own jar (tools/audit.py runs it);
// writes the median run, chosen as Lighthouse CI chooses it (computeMedianRun: nearest the median first
// contentful paint and time to interactive), and every run's performance score beside it. Lighthouse's own
// guide to variability: the median of five runs is about twice as stable as one run.
//
// Lighthouse's --extra-headers would send the cookie with the page only: Chromium leaves it off the page's
// own fetches, so htmx's fragments were redirected to the sign-in page and the audit measured a page no
// signed-in person sees. Here the cookie is set in the browser before Lighthouse loads the page (its
// storage reset leaves cookies alone), so every request the page makes is signed in, as in real use.
//
// node tools/lighthouse.mjs URL FORM_FACTOR RUNS OUT.json CHROMIUM [COOKIE_NAME COOKIE_VALUE]
// writes OUT.json (the median run's report) and OUT.runs.json (each run's performance score, in order).
// Lighthouse and puppeteer-core are imported from LIGHTHOUSE_MODULES (.venv/audit/node_modules).
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

const [url, formFactor, runs, out, chromium, cookieName, cookieValue] = process.argv.slice(2);
const modules = process.env.LIGHTHOUSE_MODULES;
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const {default: lighthouse, desktopConfig} = await load('lighthouse/core/index.js');
const {default: puppeteer} = await load('puppeteer-core/lib/puppeteer/puppeteer-core.js');
const {computeMedianRun} = await load('lighthouse/core/lib/median-run.js');

async function once() {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run'],
  });
  try {
    if (cookieName) {
      await browser.setCookie({name: cookieName, value: cookieValue, url: new URL(url).origin});
    }
    const page = await browser.newPage();
    const flags = {output: 'json', onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      logLevel: 'error'};
    const result = await lighthouse(url, flags, formFactor === 'desktop' ? desktopConfig : undefined, page);
    if (!result || result.lhr.runtimeError) {
      throw new Error(result ? result.lhr.runtimeError.message : 'Lighthouse returned nothing');
    }
    return result;
  } finally {
    await browser.close();
  }
}

// Lighthouse in headless Chromium now and then loses the trace of a load (NO_NAVSTART, "Please run
// Lighthouse again"): a run that fails so is run again, up to three times in all.
async function onceAgainIfLost() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (error) {
      if (attempt === 3) {
        throw error;
      }
    }
  }
}

const results = [];
for (let run = 0; run < Number(runs); run++) {
  results.push(await onceAgainIfLost());
}
const median = computeMedianRun(results.map((result) => result.lhr));
writeFileSync(out, results.find((result) => result.lhr === median).report);
writeFileSync(out.replace(/\.json$/, '.runs.json'),
  JSON.stringify(results.map((result) => Math.round(result.lhr.categories.performance.score * 100))));
