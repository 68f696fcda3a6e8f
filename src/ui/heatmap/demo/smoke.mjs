// Browser smoke check of the heatmaps / results charts gallery (not part of `npm test`).
//   npx vite --port 5301 &   then   node src/ui/heatmap/demo/smoke.mjs [http://localhost:5301]
// Checks: panels + accessible labels, escaped names, synchronized hover, outlines = 2·k, exports (PNG/SVG/CSV
// downloads with the right magic), view switch, significance-test switch, d > 200 message, axe (serious+).
import { chromium } from 'playwright';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = (process.argv[2] ?? 'http://localhost:5301') + '/src/ui/heatmap/demo/';
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
let failed = 0;
const check = (ok, what, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failed++;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'heatmap-smoke-'));

await page.goto(base);
await page.waitForSelector('[data-testid=heatmap-dW] .main-svg');
await page.waitForTimeout(800);
for (const id of ['heatmap-W0', 'heatmap-W', 'heatmap-dW', 'heatmap-diag', 'results-chart', 'fold-drilldown']) {
  const label = await page.getByTestId(id).first().evaluate((el) => {
    const l = el.getAttribute('aria-labelledby');
    return (l && document.getElementById(l)?.textContent) || el.getAttribute('aria-label');
  });
  check(!!label, `${id} has an accessible label`, label ?? '');
}
const ticks = await page.locator('[data-testid=heatmap-W] .ytick text').allTextContents();
check(ticks.includes('<b>bold</b> & co'), 'HTML-like feature name shown literally on the axis');
const box = await page.locator('[data-testid=heatmap-W] .nsewdrag').first().boundingBox();
await page.mouse.move(box.x + box.width * (5.5 / 12), box.y + box.height * (4.5 / 12));
await page.waitForTimeout(600);
for (const id of ['W0', 'W', 'dW']) {
  const t = await page.locator(`[data-testid=heatmap-${id}] .hoverlayer`).textContent();
  check(/T5 × T6W0: [\d.]+W: [\d.]+ΔW: \+0\.410/.test(t ?? ''), `hover on W shows the cell in ${id}`, t ?? '');
}
await page.mouse.move(2, 2);
const top = await page.getByTestId('top-changes').locator('li').allTextContents();
check(top[0] === 'T5–T6 +0.41', 'largest change listed first', top.join(' | '));
check((await page.locator('[data-testid=heatmap-dW] .shapelayer path').count()) === 2 * top.length, 'outlines = 2 per listed pair');
const downloads = [
  ['Download W heatmap as PNG', (b) => b.subarray(1, 4).toString() === 'PNG'],
  ['Download ΔW heatmap as SVG', (b) => b.toString('utf8', 0, 4) === '<svg' && b.toString().includes('Change ΔW')],
  ['Download W0 heatmap as CSV', (b) => b.toString().startsWith(',timbre 1,timbre 2') && b.toString().includes('"chroma, 2"')],
  ['Download results chart as SVG', (b) => b.toString('utf8', 0, 4) === '<svg'],
];
for (const [name, ok] of downloads) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
  const p = path.join(tmp, dl.suggestedFilename());
  await dl.saveAs(p);
  check(ok(fs.readFileSync(p)), name, dl.suggestedFilename());
}
await page.getByLabel('Correlation').check();
await page.waitForTimeout(600);
check((await page.getByTestId('heatmap-diag').count()) === 0, 'diagonal bars only in off-diagonal mode');
check((await page.getByTestId('top-changes').textContent()).includes('of the correlation'), 'correlation top-k labelled');
await page.getByLabel('Outline largest changes').selectOption('10');
await page.waitForTimeout(600);
check((await page.locator('[data-testid=heatmap-dW] .shapelayer path').count()) === 20, 'k = 10 gives 20 outlines');
await page.getByLabel('Significance test').selectOption('wilcoxon');
await page.waitForTimeout(400);
check((await page.locator('[data-testid=results-chart] figcaption').textContent()).includes('Wilcoxon'), 'caption names the Wilcoxon test');
const drill = page.getByTestId('fold-drilldown').first();
await drill.getByLabel('Group').selectOption('age > 25 <i>x</i>');
await drill.getByLabel('Method').selectOption('w0-ritml');
await page.waitForTimeout(600);
const drillCaption = await drill.locator('figcaption').textContent();
check(drillCaption.includes('W0-RITML · group age > 25 <i>x</i>') && drillCaption.includes('dotted: training'), 'fold drill-down follows group and method choice', drillCaption);
check((await drill.locator('.scatterlayer .trace').count()) === 3, 'single method: folds + mean + training lines');
const axe = await new AxeBuilder({ page }).analyze();
const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
check(serious.length === 0, 'axe: no serious/critical violations', serious.map((v) => `${v.id}: ${v.nodes.length}`).join(', '));
await page.goto(base + '?big=768');
await page.waitForSelector('[data-testid=heatmap-too-large]');
check((await page.getByTestId('heatmap-too-large').textContent()).includes('PCA'), 'd = 768 asks for PCA');
await page.goto(base + '?notemplate=1');
await page.waitForSelector('[data-testid=heatmap-W] .main-svg');
check((await page.getByTestId('heatmap-W0').count()) === 0 && (await page.getByTestId('heatmap-dW').count()) === 0, 'without W0 only the W panel is drawn');
check((await page.getByTestId('no-template').count()) === 1, 'without W0 a note says why');
check((await page.getByTestId('heatmap-diag').locator('.bars .trace, .barlayer .trace').count()) === 1, 'without W0 the diagonal chart shows W only');
check(errors.length === 0, 'no page errors', errors.join(' | '));
await browser.close();
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
