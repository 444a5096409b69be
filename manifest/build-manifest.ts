/**
 * The Teams app manifest: manifest.template.json with its {{PLACEHOLDERS}} filled from the
 * configuration and package.json, and the bot's command menu generated from the dispatch table
 * (bot/commands/index.ts) and the per-scope menu (bot/commands/menu.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../bot/commands/types.ts';
import type { Config } from '../bot/config.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TEMPLATE_PATH = path.join(HERE, 'manifest.template.json');
const PACKAGE_JSON_PATH = path.join(HERE, '..', 'package.json');

/** Limits of bots[].commandLists in the v1.24 schema (test/manifest checks them against it). */
export const COMMAND_LIST_LIMITS = { commands: 12, title: 128, description: 4000 } as const;

/** Where the developer links point when PUBLIC_URL is not set. */
export const DEFAULT_DEVELOPER_URL = 'https://example.com';

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export interface CommandListEntry {
  title: string;
  description: string;
}

export interface CommandList {
  scopes: string[];
  commands: CommandListEntry[];
}

/** The parts of a v1.24 manifest this code reads or writes; the rest passes through from the template. */
export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  icons: { color: string; outline: string };
  bots: Array<{ botId: string; scopes: string[]; commandLists?: CommandList[]; [key: string]: unknown }>;
  validDomains?: string[];
  webApplicationInfo?: { id: string; resource?: string };
  [key: string]: unknown;
}

/** The configuration the manifest needs (a full Config fits). */
export type ManifestConfig = {
  bot: Pick<Config['bot'], 'appId'>;
} & Pick<Config, 'teamsAppId' | 'publicUrl'>;

export type MenuCommand = Pick<Command, 'name' | 'description'>;

export interface BuildOptions {
  /** The app version; default: package.json's. */
  version?: string;
  /** The template; default: manifest.template.json. */
  template?: unknown;
  /** Told about things that work but deserve attention (no PUBLIC_URL, …). */
  warn?: (message: string) => void;
}

/** A manifest that cannot be built; `variable` names the setting to fix, when there is one. */
export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
  }
}

export function readTemplate(): unknown {
  return JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8'));
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON_PATH, 'utf8')) as { version: string }).version;
}

/** `text` cut to `max` characters, with an ellipsis when something was cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * One command list per scope of the menu, in the menu's order: title = the command name (what
 * Teams puts in the compose box), description = the command's description.
 */
export function buildCommandLists(
  commands: ReadonlyMap<string, MenuCommand>,
  menu: Readonly<Record<string, readonly string[]>>,
): CommandList[] {
  return Object.entries(menu).map(([scope, names]) => ({
    scopes: [scope],
    commands: names.map((name) => {
      const command = commands.get(name);
      if (!command) {
        throw new ManifestError(
          `the command menu for scope "${scope}" names "${name}", which is not a command (bot/commands/menu.ts)`,
        );
      }
      if (command.name.length > COMMAND_LIST_LIMITS.title) {
        throw new ManifestError(
          `the command name "${command.name}" is longer than the ${COMMAND_LIST_LIMITS.title} characters Teams allows`,
        );
      }
      return { title: command.name, description: cut(command.description, COMMAND_LIST_LIMITS.description) };
    }),
  }));
}

/** Replaces every {{NAME}} in every string of `value`; an unknown name is an error. */
function fill(value: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const v = values[name];
      if (v === undefined)
        throw new ManifestError(`the manifest template uses an unknown placeholder {{${name}}}`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  }
  return value;
}

/** The manifest for this configuration. Throws ManifestError when it cannot be built. */
export function buildManifest(
  config: ManifestConfig,
  commands: ReadonlyMap<string, MenuCommand>,
  menu: Readonly<Record<string, readonly string[]>>,
  options: BuildOptions = {},
): TeamsManifest {
  const warn = options.warn ?? (() => {});
  const botId = config.bot.appId;
  if (!botId) {
    throw new ManifestError(
      "MicrosoftAppId is not set: a Teams app package needs the Azure Bot's app id (the bot id in the manifest)",
      'MicrosoftAppId',
    );
  }
  if (!GUID.test(botId)) {
    throw new ManifestError(
      `MicrosoftAppId must be the Azure Bot's app id (a GUID), got "${botId}"`,
      'MicrosoftAppId',
    );
  }
  const appId = config.teamsAppId ?? botId;
  if (!GUID.test(appId)) {
    throw new ManifestError(`TEAMS_APP_ID must be a GUID, got "${appId}"`, 'TEAMS_APP_ID');
  }
  const version = options.version ?? packageVersion();
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new ManifestError(
      `the version "${version}" (package.json) must be MAJOR.MINOR.PATCH: Teams refuses pre-release versions`,
    );
  }
  let publicUrl = DEFAULT_DEVELOPER_URL;
  let validDomains: string[] = [];
  if (config.publicUrl) {
    publicUrl = config.publicUrl;
    validDomains = [new URL(config.publicUrl).host];
  } else {
    warn(
      `PUBLIC_URL is not set: the manifest lists no valid domain, has no Inbox tab, and its developer links point at ${DEFAULT_DEVELOPER_URL}`,
    );
  }
  // The SSO resource and the tabs' pages live on the bot's own host (lower case, teams-tab.md §5).
  const host = new URL(publicUrl).host.toLowerCase();

  const manifest = fill(options.template ?? readTemplate(), {
    VERSION: version,
    TEAMS_APP_ID: appId,
    BOT_ID: botId,
    PUBLIC_URL: publicUrl,
    HOST: host,
  }) as TeamsManifest;

  const bot = manifest.bots[0];
  if (!bot) throw new ManifestError('the manifest template has no bot (bots[0])');
  bot.commandLists = buildCommandLists(commands, menu);
  manifest.validDomains = validDomains;
  if (!config.publicUrl?.startsWith('https://')) {
    // Teams loads tabs over https only, from a valid domain: without one the Inbox is left out.
    delete manifest['staticTabs'];
    delete manifest['configurableTabs'];
    if (manifest.webApplicationInfo) manifest.webApplicationInfo.resource = 'https://RscBasedStoreApp';
    if (config.publicUrl)
      warn('PUBLIC_URL is not an https URL: the package has no Inbox tab (Teams loads tabs over https only)');
  }
  return manifest;
}
