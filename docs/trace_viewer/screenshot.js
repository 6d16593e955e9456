// docs/trace_viewer/screenshot.js — renders a raftsim trace JSON in
// docs/trace_viewer/index.html with headless Chromium and saves a PNG
// (how docs/images/trace.png was made; docs/simulation.md, "Seeing a run").
//
//   apt-get install -y chromium
//   cd $(mktemp -d) && npm install playwright-core
//   NODE_PATH=$PWD/node_modules node /path/to/docs/trace_viewer/screenshot.js \
//       TRACE.json OUT.png FROM_MS TO_MS
//
// Uses no network: the viewer is one static file.
const { chromium } = require('playwright-core');
const [,, json, out, from, to] = process.argv;
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 600 } });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto('file://' + require('path').join(__dirname, 'index.html') + '#from=' + from + '&to=' + to);
  await page.setInputFiles('#file', json);
  await page.waitForSelector('#view svg', { timeout: 10000 });
  await page.waitForTimeout(500);
  const h = await page.evaluate(() => document.body.scrollHeight);
  await page.setViewportSize({ width: 1400, height: h + 10 });
  await page.screenshot({ path: out, fullPage: true });
  if (errors.length) console.log('page errors', errors);
  await browser.close();
})();
