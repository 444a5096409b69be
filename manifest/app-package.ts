/**
 * The sideloadable Teams app package: build the manifest, validate it offline, and write
 * manifest.json and appPackage.zip (manifest.json, color.png, outline.png at the zip's root).
 * A manifest that fails validation is never written.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../bot/commands/index.ts';
import { COMMAND_MENU } from '../bot/commands/menu.ts';
import {
  buildManifest,
  type ManifestConfig,
  type MenuCommand,
  type TeamsManifest,
} from './build-manifest.ts';
import { validateManifest } from './validate.ts';
import { writeZip } from './zip.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = path.join(HERE, 'build');
export const PACKAGE_FILE = 'appPackage.zip';

export class ManifestValidationError extends Error {
  override name = 'ManifestValidationError';
  constructor(readonly errors: string[]) {
    super(
      `The manifest does not match the Teams app manifest schema (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
        errors.map((e) => `  - ${e}`).join('\n'),
    );
  }
}

export interface PackageOptions {
  /** Where manifest.json and appPackage.zip go; default manifest/build. */
  outDir?: string;
  /** Where color.png and outline.png are read from; default manifest/. */
  iconDir?: string;
  commands?: ReadonlyMap<string, MenuCommand>;
  menu?: Readonly<Record<string, readonly string[]>>;
  version?: string;
  template?: unknown;
  warn?: (message: string) => void;
}

export interface AppPackage {
  manifest: TeamsManifest;
  manifestPath: string;
  zipPath: string;
}

/** Builds, validates and writes the package. Throws ManifestError or ManifestValidationError. */
export async function createAppPackage(
  config: ManifestConfig,
  options: PackageOptions = {},
): Promise<AppPackage> {
  const manifest = buildManifest(config, options.commands ?? COMMANDS, options.menu ?? COMMAND_MENU, {
    version: options.version,
    template: options.template,
    warn: options.warn,
  });
  const errors = await validateManifest(manifest);
  if (errors.length > 0) throw new ManifestValidationError(errors);

  const iconDir = options.iconDir ?? HERE;
  const icons = [manifest.icons.color, manifest.icons.outline];
  const iconEntries = await Promise.all(
    icons.map(async (name) => ({ name, data: await readFile(path.join(iconDir, name)) })),
  );
  const manifestJson = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);

  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  await mkdir(outDir, { recursive: true });
  const manifestPath = path.join(outDir, 'manifest.json');
  const zipPath = path.join(outDir, PACKAGE_FILE);
  await writeZip(zipPath, [{ name: 'manifest.json', data: manifestJson }, ...iconEntries]);
  await writeFile(manifestPath, manifestJson);
  return { manifest, manifestPath, zipPath };
}
