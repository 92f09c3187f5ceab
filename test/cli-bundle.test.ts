import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, useTempDir } from './helpers/cli.js';

/**
 * bin/match.cjs loads the bundle `npm run build` makes (dist/bundle/main.cjs,
 * see scripts/bundle-cli.js) when it is at least as new as dist's modules,
 * and the modules otherwise, so a plain `tsc` since the last build never
 * runs stale code. The bundle is compiled with the code cache built beside it.
 */

const tmp = useTempDir();
const built = join(ROOT, 'dist', 'bundle', 'main.cjs');
const modules = join(ROOT, 'dist', 'cli', 'main.js');
const bundleIsFresh = existsSync(built) && statSync(built).mtimeMs >= statSync(modules).mtimeMs;

/** A copy of the package (bin, dist, glossary, package.json) sharing the node_modules. */
function copyPackage(): string {
  const dir = join(tmp.dir, 'match');
  mkdirSync(dir);
  for (const part of ['bin', 'dist', 'glossary', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function run(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'match.cjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Replaces the copy's bundle with one that only says it ran, dated `age` seconds from dist's modules. */
function fakeBundle(dir: string, age: number): void {
  const bundle = join(dir, 'dist', 'bundle');
  mkdirSync(bundle, { recursive: true });
  const main = join(bundle, 'main.cjs');
  writeFileSync(main, "exports.main = async function main() { process.stdout.write('bundle\\n'); return 0; };\n");
  rmSync(`${main}.cache`, { force: true });
  const when = statSync(join(dir, 'dist', 'cli', 'main.js')).mtime.getTime() / 1000 + age;
  utimesSync(main, when, when);
}

describe('bin/match.cjs and the bundle', () => {
  it('runs the bundle when it is as new as the modules', () => {
    const dir = copyPackage();
    fakeBundle(dir, 10);
    expect(run(dir, ['--version']).stdout).toBe('bundle\n');
  });

  it('runs the modules when the bundle is older than them, or missing', () => {
    const dir = copyPackage();
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    fakeBundle(dir, -10);
    expect(run(dir, ['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
    rmSync(join(dir, 'dist', 'bundle'), { recursive: true });
    expect(run(dir, ['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it.skipIf(!bundleIsFresh)('has a code cache that V8 takes, and runs the same without it', () => {
    const dir = copyPackage();
    const loader = pathToFileURL(join(dir, 'dist', 'cli', 'bundle-loader.js')).href;
    const file = join(dir, 'dist', 'bundle', 'main.cjs');
    const probe = `const { loadBundle } = await import(${JSON.stringify(loader)}); process.stdout.write(String(loadBundle(${JSON.stringify(file)}, ${JSON.stringify(`${file}.cache`)}).cacheRejected));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(r.stdout).toBe('false');
    const args = ['rank', 'fixtures/needs.csv', 'fixtures/startups.csv', '--format', 'json', '--explain'];
    const cached = run(dir, args);
    // A cache V8 turns down (another V8, other flags, or damaged) only costs time.
    writeFileSync(`${file}.cache`, Buffer.alloc(4096, 7));
    const rejected = run(dir, args);
    rmSync(`${file}.cache`);
    const none = run(dir, args);
    expect(cached.status).toBe(0);
    expect(rejected).toEqual(cached);
    expect(none).toEqual(cached);
  });

  it.skipIf(!bundleIsFresh)('loads only what a run on UTF-8 files uses', () => {
    // Each of these costs every run milliseconds to load (see scripts/bundle-cli.js and src/io/legacy-codecs.ts).
    const probe = join(tmp.dir, 'loaded.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write('@@' + JSON.stringify({ builtins: process.moduleLoadList, files: Object.keys(require.cache) })));",
    );
    const r = spawnSync(process.execPath, ['-r', probe, BIN, 'rank', 'fixtures/needs.csv', 'fixtures/startups.csv', '--format', 'csv', '-q'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { builtins, files } = JSON.parse(r.stderr.slice(r.stderr.indexOf('@@') + 2)) as { builtins: string[]; files: string[] };
    for (const unused of ['worker_threads', 'zlib', 'crypto', 'child_process', 'v8']) expect(builtins).not.toContain(`NativeModule ${unused}`);
    expect(files.filter((f) => f.includes('node_modules'))).toEqual([]);
    // The codecs still load when a file needs them: a Windows-1252 file is read right.
    const legacy = join(tmp.dir, 'needs-1252.csv');
    writeFileSync(legacy, Buffer.from('id,title,description\nN1,Caff\xe8 \x80,Misura del caff\xe8\n', 'latin1'));
    const decoded = run(ROOT, ['rank', legacy, 'fixtures/startups.csv', '--format', 'csv', '-q']);
    expect(decoded.status).toBe(0);
    expect(decoded.stdout).toContain('N1,Caffè €,');
  });

  it.skipIf(!bundleIsFresh)('ranks exactly as the modules do, messages included', () => {
    const dir = copyPackage();
    const args = ['rank', 'fixtures/needs.csv', 'fixtures/startups.csv', '--format', 'csv', '--explain'];
    const bundled = run(dir, args);
    const now = Date.now() / 1000 + 10;
    utimesSync(join(dir, 'dist', 'cli', 'main.js'), now, now);
    const unbundled = run(dir, args);
    expect(bundled.status).toBe(0);
    expect(bundled).toEqual(unbundled);
  });
});
