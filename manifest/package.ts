/**
 * `npm run package [-- --out <dir>]`: builds the Teams app package into
 * manifest/build/appPackage.zip, ready to sideload. It reads only what the manifest needs
 * (MicrosoftAppId, TEAMS_APP_ID, PUBLIC_URL; environment and .env), so a build pipeline needs no
 * secret.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadAppPackageConfig } from '../bot/config.ts';
import { createAppPackage, DEFAULT_OUT_DIR, ManifestValidationError } from './app-package.ts';
import { ManifestError } from './build-manifest.ts';

const USAGE = 'usage: npm run package [-- --out <dir>]   (default: manifest/build)';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let outDir = DEFAULT_OUT_DIR;
try {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.out) outDir = path.resolve(values.out);
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}

if (existsSync('.env')) process.loadEnvFile('.env');

let config: ReturnType<typeof loadAppPackageConfig>;
try {
  config = loadAppPackageConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    fail(
      `textbridge cannot build the Teams app package.\n${err.message}\nFix the variables above (environment or .env) and run npm run package again.`,
    );
  }
  throw err;
}

try {
  const pkg = await createAppPackage(config, {
    outDir,
    warn: (message) => console.error(`warning: ${message}`),
  });
  const bot = pkg.manifest.bots[0];
  console.log(
    [
      `Teams app package written: ${pkg.zipPath}`,
      `  manifest ${pkg.manifestPath} (schema v${pkg.manifest.manifestVersion}: valid)`,
      `  app id ${pkg.manifest.id}, bot id ${bot?.botId}, version ${pkg.manifest.version}, valid domains: ${
        pkg.manifest.validDomains?.join(', ') || 'none'
      }`,
      '',
      'To sideload it:',
      '  1. In Teams open Apps > Manage your apps > Upload an app > Upload a custom app',
      `     (or Upload for <your organisation> to publish it to the org catalogue) and pick ${path.basename(pkg.zipPath)}.`,
      '  2. Add it to the team whose channel should receive customer conversations, consent to its',
      '     permission to read channel messages, and type "@textbridge help" in a channel.',
      `  The Azure Bot ${bot?.botId} needs the Microsoft Teams channel and the messaging endpoint`,
      `  ${config.publicUrl ?? 'https://<your host>'}/api/messages.`,
    ].join('\n'),
  );
} catch (err) {
  if (err instanceof ManifestError) {
    const hint = err.variable
      ? `\nSet ${err.variable} (environment or .env) and run npm run package again.`
      : '';
    fail(`textbridge cannot build the Teams app package: ${err.message}${hint}`);
  }
  if (err instanceof ManifestValidationError) {
    fail(`textbridge did not write the Teams app package.\n${err.message}`);
  }
  throw err;
}
