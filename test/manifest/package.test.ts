import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../bot/commands/index.ts';
import { COMMAND_MENU } from '../../bot/commands/menu.ts';
import { createAppPackage, ManifestValidationError } from '../../manifest/app-package.ts';
import { buildManifest, ManifestError, readTemplate } from '../../manifest/build-manifest.ts';
import { validateManifest } from '../../manifest/validate.ts';
import { writeZip } from '../../manifest/zip.ts';
import { APP_ID, OTHER_APP_ID, sampleConfig } from './sample.ts';
import { centralDirectory, readZip } from './zip.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'textbridge-manifest-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('createAppPackage', () => {
  it('writes a zip with exactly manifest.json, color.png and outline.png at its root', async () => {
    const outDir = tempDir();
    const pkg = await createAppPackage(sampleConfig(), { outDir });
    expect(pkg.zipPath).toBe(path.join(outDir, 'appPackage.zip'));
    expect(pkg.manifestPath).toBe(path.join(outDir, 'manifest.json'));

    const zip = readFileSync(pkg.zipPath);
    expect(
      centralDirectory(zip)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const files = readZip(zip);
    expect(files.get('color.png')!.equals(readFileSync(path.join(ROOT, 'manifest/color.png')))).toBe(true);
    expect(files.get('outline.png')!.equals(readFileSync(path.join(ROOT, 'manifest/outline.png')))).toBe(
      true,
    );

    const inside = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    const built = buildManifest(sampleConfig(), COMMANDS, COMMAND_MENU);
    expect(inside).toEqual(built);
    expect(pkg.manifest).toEqual(built);
    expect(JSON.parse(readFileSync(pkg.manifestPath, 'utf8'))).toEqual(built);
    expect(await validateManifest(inside)).toEqual([]);
  });

  it('replaces an earlier package in the same folder', async () => {
    const outDir = tempDir();
    await createAppPackage(sampleConfig(), { outDir });
    const other = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const pkg = await createAppPackage(sampleConfig({ TEAMS_APP_ID: other }), { outDir });
    const inside = JSON.parse(readZip(readFileSync(pkg.zipPath)).get('manifest.json')!.toString('utf8'));
    expect(inside.id).toBe(other);
    expect(existsSync(`${pkg.zipPath}.tmp`)).toBe(false);
  });

  it('writes nothing for a manifest that fails validation, and lists every error', async () => {
    const outDir = path.join(tempDir(), 'out');
    const template = readTemplate() as { bots: Array<Record<string, unknown>>; accentColor?: string };
    template.bots[0]!['scopes'] = ['team', 'groupchat'];
    delete template.accentColor;
    const err = await createAppPackage(sampleConfig(), { outDir, template }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManifestValidationError);
    const { errors, message } = err as ManifestValidationError;
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(message).toContain(e);
    expect(existsSync(outDir)).toBe(false);
  });

  it('writes nothing without a bot id', async () => {
    const outDir = path.join(tempDir(), 'out');
    const config = sampleConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '' });
    await expect(createAppPackage(config, { outDir })).rejects.toThrow(ManifestError);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('writeZip', () => {
  it('refuses entries in folders and duplicate names', async () => {
    const zipPath = path.join(tempDir(), 'x.zip');
    await expect(writeZip(zipPath, [{ name: 'icons/color.png', data: Buffer.from('x') }])).rejects.toThrow(
      /root/,
    );
    await expect(
      writeZip(zipPath, [
        { name: 'a', data: Buffer.from('1') },
        { name: 'a', data: Buffer.from('2') },
      ]),
    ).rejects.toThrow(/twice/);
    expect(existsSync(zipPath)).toBe(false);
  });
});

/** `npm run package` as an operator runs it, from an empty folder (so no .env is picked up). */
function runCli(env: Record<string, string>, args: string[] = [], dotenv?: string) {
  const cwd = tempDir();
  if (dotenv !== undefined) writeFileSync(path.join(cwd, '.env'), dotenv);
  const result = spawnSync(
    process.execPath,
    ['--import', TSX, '--no-deprecation', path.join(ROOT, 'manifest/package.ts'), ...args],
    { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  return { cwd, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run package (manifest/package.ts)', () => {
  it('writes the zip to --out and says how to sideload it', () => {
    const out = path.join(tempDir(), 'build');
    const run = runCli({ MicrosoftAppId: APP_ID, PUBLIC_URL: 'https://bot.example.com' }, ['--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const zipPath = path.join(out, 'appPackage.zip');
    expect(run.stdout).toContain(zipPath);
    expect(run.stdout).toContain('Manage your apps > Upload an app > Upload a custom app');
    expect(run.stdout).toContain('bot.example.com');
    const files = readZip(readFileSync(zipPath));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(['bot.example.com']);
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('reads .env from the folder it runs in, like the bot', () => {
    const out = path.join(tempDir(), 'build');
    const dotenv = `MicrosoftAppId=${APP_ID}\nPUBLIC_URL=https://inbox.example.org\n`;
    const run = runCli({}, ['--out', out], dotenv);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.validDomains).toEqual(['inbox.example.org']);
  });

  it('prints its usage with --help', () => {
    const run = runCli({}, ['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--out');
  });

  it('without MicrosoftAppId exits 1, names the variable, and writes nothing', () => {
    const out = path.join(tempDir(), 'build');
    const run = runCli({ PUBLIC_URL: 'https://bot.example.com' }, ['--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('MicrosoftAppId');
    expect(run.stderr).toContain('Azure Bot');
    expect(existsSync(out)).toBe(false);
  });

  it('reports every mistake in its three variables the way the bot does, and exits 1', () => {
    const out = path.join(tempDir(), 'b');
    const run = runCli({ MicrosoftAppId: APP_ID, TEAMS_APP_ID: 'my-app', PUBLIC_URL: 'not a url' }, [
      '--out',
      out,
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration (2 problems)');
    expect(run.stderr).toContain('PUBLIC_URL: must be an http(s) URL');
    expect(run.stderr).toContain('TEAMS_APP_ID: must be a GUID');
    expect(existsSync(out)).toBe(false);
  });

  it("needs no secret: the bot's other settings, even broken ones, are not its business", () => {
    const out = path.join(tempDir(), 'build');
    const run = runCli(
      {
        MicrosoftAppId: APP_ID,
        TEAMS_APP_ID: OTHER_APP_ID,
        PUBLIC_URL: 'https://bot.example.com',
        // What a build pipeline may have lying around: a SingleTenant bot without its password or
        // tenant, and half a provider. The bot refuses to start with these; the package does not care.
        MicrosoftAppType: 'SingleTenant',
        SINCH_API_KEY: 'key',
      },
      ['--out', out],
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.id).toBe(OTHER_APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
  });

  it('warns when PUBLIC_URL is not set but still writes the package', () => {
    const out = path.join(tempDir(), 'build');
    const run = runCli({ MicrosoftAppId: APP_ID }, ['--out', out]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('warning: PUBLIC_URL is not set');
    expect(existsSync(path.join(out, 'appPackage.zip'))).toBe(true);
  });

  it('refuses an unknown argument with the usage', () => {
    const run = runCli({ MicrosoftAppId: APP_ID }, ['--output', 'x']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('usage: npm run package');
  });
});
