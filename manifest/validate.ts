/**
 * Offline validation against the JSON schema bundled in @microsoft/app-manifest (v1.0 to v1.30).
 * The schema is loaded from the package explicitly, so validation never reaches for the network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppManifestUtils } from '@microsoft/app-manifest';

const require = createRequire(import.meta.url);

/** The $schema URL Microsoft publishes for a manifest version. */
export function schemaUrl(manifestVersion: string): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
}

/** The file of the bundled schema for a manifest version ("1.24"). */
export function bundledSchemaPath(manifestVersion: string): string {
  const file = `@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
  try {
    return require.resolve(file);
  } catch {
    throw new Error(`@microsoft/app-manifest has no schema for manifest version "${manifestVersion}"`);
  }
}

export function bundledSchema(manifestVersion: string): Record<string, unknown> {
  return JSON.parse(readFileSync(bundledSchemaPath(manifestVersion), 'utf8')) as Record<string, unknown>;
}

/** Every schema error of `manifest` (readable AJV messages), or [] when it is valid. */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  const m = (manifest ?? {}) as { manifestVersion?: unknown; $schema?: unknown };
  if (typeof m.manifestVersion !== 'string') return ['/manifestVersion is missing'];
  const errors: string[] = [];
  const localized = schemaUrl(m.manifestVersion).replace('.com/', '.com/en-us/');
  if (m.$schema !== schemaUrl(m.manifestVersion) && m.$schema !== localized) {
    errors.push(`/$schema must be ${schemaUrl(m.manifestVersion)} (manifestVersion ${m.manifestVersion})`);
  }
  const schema = bundledSchema(m.manifestVersion);
  type Manifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];
  type Schema = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  errors.push(...(await AppManifestUtils.validateAgainstSchema(manifest as Manifest, schema as Schema)));
  return errors;
}
