import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeHtml, excerpt, renderHtml } from '../src/render/html.js';
import { DEFAULT_WEIGHTS, type NeedResult } from '../src/model.js';
import type { RunSummary } from '../src/render/run-summary.js';
import { FIXTURES, runCli, useTempDir } from './helpers/cli.js';

const needs = join(FIXTURES, 'needs.csv');
const startups = join(FIXTURES, 'startups.csv');
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`html-report: skipping the browser test: no Chromium at ${CHROMIUM} (on Debian/Ubuntu: apt-get install chromium)`);

const tmp = useTempDir();

const EVIL = '<script>alert(1)</script>';

const summary: RunSummary = {
  version: '0.0.0',
  inputs: [{ role: 'needs', file: '/home/me/needs.csv', format: 'csv', rows: 2 }],
  settings: { top: 10 },
  counts: { needs: 2, solutions: 3, pairs: 1, needsWithoutMatch: 1 },
};

const match = (solutionId: string, solutionName: string) => ({ solutionId, solutionName, rank: 1, score: 0.61, textScore: 0.5, tagScore: null, sectorScore: 1, sharedTags: ['<b>iot</b>'], topTerms: ['sensori'] });

describe('renderHtml', () => {
  const results: NeedResult[] = [
    { needId: 'A/1', needTitle: `Title ${EVIL}`, matches: [{ ...match('S"1', EVIL), extra: { website: 'javascript:alert(2)', site: 'https://example.com/?a=1&b=2' } }], gaps: ['essiccazione'] },
    { needId: 'A-1', needTitle: 'Second', matches: [] },
  ];
  const html = renderHtml(results, { summary, weights: DEFAULT_WEIGHTS });

  it('escapes every value from the data', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>iot');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('S&quot;1');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('href="https://example.com/?a=1&amp;b=2"');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('loads nothing from anywhere: inline style only, a policy that forbids the rest', () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'/);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(|\bsrc=/i);
    expect(html).toContain('@media print');
  });

  it('has a contents list, an anchor per need (unique), gaps, and a note for a need without match', () => {
    expect(html).toContain('<a href="#need-A-1">');
    expect(html).toContain('id="need-A-1"');
    expect(html).toContain('id="need-A-1-2"');
    expect(html).toContain('Not covered by any candidate');
    expect(html).toContain('essiccazione');
    expect(html).toContain('No startup scored above the minimum');
    expect(html).toContain('needs.csv');
    expect(html).not.toContain('/home/me');
  });

  it('is the same text for the same results: no date in it', () => {
    expect(renderHtml(results, { summary, weights: DEFAULT_WEIGHTS })).toBe(html);
  });

  it('cuts long descriptions at a word', () => {
    expect(excerpt('uno due tre quattro cinque', 14)).toBe('uno due tre…');
    expect(excerpt('  breve  ', 14)).toBe('breve');
  });
});

describe('match rank --format html', () => {
  it('writes one self-contained file from the fixtures, identical between runs', async () => {
    const [a, b] = [join(tmp.dir, 'report.html'), join(tmp.dir, 'again.htm')];
    const r = await runCli(['rank', needs, startups, '-o', a, '-q', '--keep', 'website']);
    expect(r.code).toBe(0);
    await runCli(['rank', needs, startups, '-o', b, '-q', '--keep', 'website']);
    const html = await readFile(a, 'utf8');
    expect(await readFile(b, 'utf8')).toBe(html);
    expect(html.match(/<section class="need"/g)).toHaveLength(30);
    expect(html.match(/<article class="card">/g)).toHaveLength(300);
    expect(html).toContain('fiberloop.example');
  });

  it('needs -o', async () => {
    const r = await runCli(['rank', needs, startups, '--format', 'html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/add -o report\.html/);
  });
});

describe('the report in a real browser', () => {
  it.skipIf(!hasChromium)('shows the sections, runs no script, makes no request, and prints data as text', async () => {
    // Startups and needs with markup in their names, among the real fixtures.
    const evilStartups = `${(await readFile(startups, 'utf8')).trimEnd()}\nS999,"${EVIL}","Selezione automatica degli stracci per colore e fibra con spettroscopia NIR e visione artificiale, lana rigenerata",riciclo tessile;<img src=x onerror=alert(3)>,C13.10,7,Toscana,5,javascript:alert(4),1\n`;
    const evilNeeds = `${(await readFile(needs, 'utf8')).trimEnd()}\nN99,"<img src=x onerror=alert(5)> robot",robot per saldatura,robot,C28,Evil Srl,Lombardia,5\n`;
    await writeFile(join(tmp.dir, 'startups.csv'), evilStartups);
    await writeFile(join(tmp.dir, 'needs.csv'), evilNeeds);
    const report = join(tmp.dir, 'report.html');
    const r = await runCli(['rank', join(tmp.dir, 'needs.csv'), join(tmp.dir, 'startups.csv'), '-o', report, '-q', '--keep', 'website', '--keep-need', 'company']);
    expect(r.code, r.stderr).toBe(0);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const dialogs: string[] = [];
      const requests: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (req) => requests.push(req.url()));
      const url = pathToFileURL(report).href;
      await page.goto(url, { waitUntil: 'load' });

      await expect.poll(() => page.locator('section.need').count()).toBe(31);
      expect(await page.locator('nav.contents a').count()).toBe(31);
      expect(await page.locator('#summary .stat').count()).toBe(4);
      expect(await page.locator('#summary svg.chart rect').count()).toBe(10);
      // The markup is text on the page, not elements.
      expect(await page.getByText(EVIL).first().isVisible()).toBe(true);
      expect(await page.locator('script, img, iframe').count()).toBe(0);
      expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
      expect(await page.locator('#need-N99 h2').textContent()).toContain('<img src=x onerror=alert(5)>');
      // Contents links lead to their need.
      await page.locator('nav.contents a[href="#need-N01"]').click();
      expect(new URL(page.url()).hash).toBe('#need-N01');
      expect(dialogs).toEqual([]);
      expect(requests.filter((u) => u.split('#')[0] !== url)).toEqual([]);

      // Kept for a person to look at: the test's folder is removed, this one is not.
      const shots = await mkdtemp(join(tmpdir(), 'match-report-'));
      await page.goto(url, { waitUntil: 'load' });
      await page.screenshot({ path: join(shots, 'report-top.png') });
      await page.locator('#need-N01').screenshot({ path: join(shots, 'report-need.png') });
      console.log(`html-report: screenshots in ${shots}`);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
