import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../bot/commands/index.ts';
import { COMMAND_MENU } from '../../bot/commands/menu.ts';
import {
  buildManifest,
  DEFAULT_DEVELOPER_URL,
  ManifestError,
  readTemplate,
  type TeamsManifest,
} from '../../manifest/build-manifest.ts';
import { bundledSchemaPath, validateManifest } from '../../manifest/validate.ts';
import { APP_ID, OTHER_APP_ID, SCHEMA, sampleConfig } from './sample.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

type SchemaArgs = Parameters<typeof AppManifestUtils.validateAgainstSchema>;

/** Validation straight through @microsoft/app-manifest with the bundled v1.24 schema. */
function schemaErrors(manifest: unknown): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(
    manifest as SchemaArgs[0],
    SCHEMA as unknown as SchemaArgs[1],
  );
}

function build(env: Record<string, string> = {}, warn?: (m: string) => void): TeamsManifest {
  return buildManifest(sampleConfig(env), COMMANDS, COMMAND_MENU, { warn });
}

function manifestError(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return err as ManifestError;
  }
  throw new Error('expected a ManifestError');
}

describe('the bundled schema', () => {
  it('is the v1.24 Teams schema of @microsoft/app-manifest', () => {
    expect(bundledSchemaPath('1.24')).toContain(
      path.join('node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams', 'v1.24'),
    );
    expect(
      (SCHEMA as { properties: { manifestVersion: { const: string } } }).properties.manifestVersion.const,
    ).toBe('1.24');
  });
});

describe('buildManifest', () => {
  it('validates against the v1.24 schema with no errors', async () => {
    const manifest = build();
    expect(await schemaErrors(manifest)).toEqual([]);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('fills the ids, version, domain and developer links from the configuration', () => {
    const m = build();
    expect(m.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json',
    );
    expect(m.manifestVersion).toBe('1.24');
    expect(m.version).toBe(PACKAGE_VERSION);
    expect(m.id).toBe(APP_ID);
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0]!.botId).toBe(APP_ID);
    expect(m.validDomains).toEqual(['bot.example.com']);
    expect(m['developer']).toEqual({
      name: 'textbridge',
      websiteUrl: 'https://bot.example.com',
      privacyUrl: 'https://bot.example.com',
      termsOfUseUrl: 'https://bot.example.com',
    });
    expect(JSON.stringify(m)).not.toContain('{{');
  });

  it('describes the app within the schema limits and asks for what a channel inbox needs', () => {
    const m = build();
    const name = m['name'] as { short: string; full: string };
    const description = m['description'] as { short: string; full: string };
    expect(name).toEqual({ short: 'textbridge', full: 'textbridge — customer texting inbox' });
    expect(description.short.length).toBeLessThanOrEqual(80);
    expect(description.full.length).toBeLessThanOrEqual(4000);
    for (const word of ['SMS', 'RCS', 'WhatsApp', 'Sinch', 'Retarus', 'SmartDialog', 'thread']) {
      expect(description.full).toContain(word);
    }
    // Microsoft asks that an app with this RSC permission says how it uses the messages.
    expect(description.full).toContain('ChannelMessage.Read.Group');
    expect(m.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(m['accentColor']).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(m.bots[0]).toMatchObject({
      scopes: ['team', 'personal', 'groupChat'],
      supportsFiles: false,
      isNotificationOnly: false,
    });
    expect(m['permissions']).toEqual(['identity', 'messageTeamMembers']);
    expect(m['authorization']).toEqual({
      permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] },
    });
    expect(m.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://bot.example.com/botid-${APP_ID}` });
  });

  it('has the Inbox as a personal tab and a channel tab on the bot’s host, with its SSO resource', async () => {
    const m = build({ PUBLIC_URL: 'https://Bot.Example.com' });
    expect(m['staticTabs']).toEqual([
      {
        entityId: 'inbox',
        name: 'Inbox',
        contentUrl: 'https://Bot.Example.com/tab/inbox',
        websiteUrl: 'https://Bot.Example.com/tab/inbox',
        scopes: ['personal'],
      },
    ]);
    expect(m['configurableTabs']).toEqual([
      {
        configurationUrl: 'https://Bot.Example.com/tab/config',
        canUpdateConfiguration: true,
        scopes: ['team'],
        context: ['channelTab'],
      },
    ]);
    // Entra wants the Application ID URI's domain in lower case.
    expect(m.webApplicationInfo?.resource).toBe(`api://bot.example.com/botid-${APP_ID}`);
    expect(await schemaErrors(m)).toEqual([]);
  });

  it('leaves the tabs out when PUBLIC_URL is not https, and says so', async () => {
    const warnings: string[] = [];
    const m = build({ PUBLIC_URL: 'http://localhost:3978' }, (w) => warnings.push(w));
    expect(m['staticTabs']).toBeUndefined();
    expect(m['configurableTabs']).toBeUndefined();
    expect(m.webApplicationInfo?.resource).toBe('https://RscBasedStoreApp');
    expect(warnings).toEqual([expect.stringContaining('no Inbox tab')]);
    expect(await schemaErrors(m)).toEqual([]);
  });

  it('uses TEAMS_APP_ID as the app id when set, keeping the bot id', async () => {
    const m = build({ TEAMS_APP_ID: OTHER_APP_ID });
    expect(m.id).toBe(OTHER_APP_ID);
    expect(m.bots[0]!.botId).toBe(APP_ID);
    expect(m.webApplicationInfo?.id).toBe(APP_ID);
    expect(await schemaErrors(m)).toEqual([]);
  });

  it('keeps a port of PUBLIC_URL in the valid domain', () => {
    expect(build({ PUBLIC_URL: 'https://bot.example.com:8443/textbridge' }).validDomains).toEqual([
      'bot.example.com:8443',
    ]);
  });

  it('without PUBLIC_URL lists no valid domain, warns, and still validates', async () => {
    const warnings: string[] = [];
    const m = build({ PUBLIC_URL: '' }, (w) => warnings.push(w));
    expect(m.validDomains ?? []).toEqual([]);
    expect((m['developer'] as { websiteUrl: string }).websiteUrl).toBe(DEFAULT_DEVELOPER_URL);
    expect(warnings).toEqual([expect.stringContaining('PUBLIC_URL is not set')]);
    expect(await schemaErrors(m)).toEqual([]);
  });

  it('does not warn when PUBLIC_URL is set', () => {
    const warnings: string[] = [];
    build({}, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
  });

  it('refuses to build without a bot id, naming MicrosoftAppId', () => {
    const config = sampleConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '' });
    const err = manifestError(() => buildManifest(config, COMMANDS, COMMAND_MENU));
    expect(err.variable).toBe('MicrosoftAppId');
    expect(err.message).toContain('MicrosoftAppId');
    expect(err.message).toContain('Azure Bot');
  });

  it('refuses a TEAMS_APP_ID that is not a GUID, naming it', () => {
    const err = manifestError(() => build({ TEAMS_APP_ID: 'my-app' }));
    expect(err.variable).toBe('TEAMS_APP_ID');
  });

  it('refuses a pre-release version, which Teams does not accept', () => {
    const config = sampleConfig();
    expect(() => buildManifest(config, COMMANDS, COMMAND_MENU, { version: '1.2.0-beta.1' })).toThrow(
      /MAJOR\.MINOR\.PATCH/,
    );
    expect(buildManifest(config, COMMANDS, COMMAND_MENU, { version: '2.3.4' }).version).toBe('2.3.4');
  });

  it('refuses a template with an unknown placeholder', () => {
    const template = { ...(readTemplate() as object), version: '{{NOPE}}' };
    expect(() => buildManifest(sampleConfig(), COMMANDS, COMMAND_MENU, { template })).toThrow(/\{\{NOPE\}\}/);
  });
});

describe('a broken manifest', () => {
  it('is reported: missing botId, wrong scope', async () => {
    const m = structuredClone(build()) as TeamsManifest;
    delete (m.bots[0] as { botId?: string }).botId;
    m.bots[0]!.scopes = ['team', 'groupchat'];
    const errors = await schemaErrors(m);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/bots\/0 must have required property 'botId'/),
        expect.stringMatching(/^\/bots\/0\/scopes\/1 must be equal to one of the allowed values/),
      ]),
    );
    expect(await validateManifest(m)).toEqual(errors);
  });

  it('is reported: bad ids, missing accent colour, too many commands, an unknown property', async () => {
    const m = structuredClone(build()) as TeamsManifest;
    m.id = 'not-a-guid';
    delete m['accentColor'];
    m.bots[0]!.commandLists![0]!.commands = Array.from({ length: 13 }, (_, i) => ({
      title: `c${i}`,
      description: 'x',
    }));
    m.bots[0]!['surprise'] = true;
    const errors = await validateManifest(m);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/id must match pattern/),
        expect.stringMatching(/must have required property 'accentColor'/),
        expect.stringMatching(/^\/bots\/0\/commandLists\/0\/commands must NOT have more than 12 items/),
        expect.stringMatching(/^\/bots\/0 must NOT have additional properties/),
      ]),
    );
  });

  it('is reported when $schema does not match manifestVersion', async () => {
    const m = {
      ...build(),
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    };
    expect(await validateManifest(m)).toEqual([expect.stringMatching(/^\/\$schema must be/)]);
  });
});
