/**
 * The only reader of the environment. Everything is validated at once so an operator sees every
 * mistake in one message, each naming the variable to fix.
 */
import path from 'node:path';
import type { ProviderId } from '../adapters/types.ts';
import { type AppPackageConfig, readAppPackage } from './config/app-package.ts';
import { type BotAuthConfig, readBotAuth } from './config/bot-auth.ts';
import { type ConfigProblem, type Env, EnvReader } from './config/reader.ts';
import { type RetarusConfig, readRetarus } from './config/retarus.ts';
import { readSinch, type SinchConfig } from './config/sinch.ts';
import { readSinchConversation, type SinchConversationConfig } from './config/sinch-conversation.ts';
import { readSmartDialog, type SmartDialogConfig } from './config/smartdialog.ts';
import {
  type LifecycleConfig,
  readLifecycle,
  readStore,
  type StoreConfig,
  sqliteFile,
} from './config/store.ts';
import { readTenantRule, type TenantRule } from './config/tenants.ts';

export type { SinchRegion } from '../adapters/sinch/index.ts';
export type {
  AppPackageConfig,
  BotAuthConfig,
  ConfigProblem,
  RetarusConfig,
  SinchConfig,
  SinchConversationConfig,
  SmartDialogConfig,
  StoreConfig,
  TenantRule,
};

export interface Config extends LifecycleConfig {
  port: number;
  host: string;
  publicUrl?: string;
  dataDir: string;
  /** The embedded store's file (used when `store` is SQLite, and by db:copy and backup). */
  sqlitePath: string;
  logLevel: string;
  bot: BotAuthConfig;
  /** Which Teams tenants are served (bot/tenant-policy.ts). */
  tenants: TenantRule;
  teamsAppId?: string;
  /** OpenID metadata of the identity provider that signs the Inbox tab's Teams SSO tokens. */
  ssoMetadataUrl: string;
  /** Activities per 30 s per Teams conversation (Teams documents 60). */
  teamsRatePer30s: number;
  /** Calls per second to Teams of the whole app (Teams documents 30, newer pages 50). */
  teamsAppRatePerSecond: number;
  webhookBodyLimitBytes: number;
  /** IANA zone of the times on cards (TZ; default the machine's). */
  timeZone: string;
  /** Largest inline media kept (MEDIA_MAX_BYTES). */
  mediaMaxBytes: number;
  sinch?: SinchConfig;
  sinchConversation?: SinchConversationConfig;
  retarus?: RetarusConfig;
  smartdialog?: SmartDialogConfig;
  /** The credential-free test provider (SANDBOX=1); never together with a real one. */
  sandbox?: Record<string, never>;
  /** Providers that are not enabled, with the reason, for the start-up message. */
  disabled: Array<{ provider: ProviderId; reason: string }>;
  /** Things that work but deserve the operator's attention. */
  warnings: string[];
}

/** The setting that names each real provider's default sender (the sandbox always has one). */
export const DEFAULT_SENDER_SETTING: Readonly<Record<Exclude<ProviderId, 'sandbox'>, string>> = {
  sinch: 'SINCH_SOURCE_NUMBER',
  'sinch-conversation': 'SINCH_CONVERSATION_APP_ID',
  retarus: 'RETARUS_SENDER',
  smartdialog: 'SMARTDIALOG_SENDER',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
  }
}

/** Entra ID's common v2.0 metadata: tokens of any tenant (the tenant rules decide which are served). */
export const ENTRA_COMMON_METADATA =
  'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment. Throws ConfigError listing every problem. */
export function loadConfig(envMap: Env = process.env): Config {
  const env = new EnvReader(envMap);
  const port = env.int('PORT', 3978, 0, 65535);
  const publicUrl = env.url('PUBLIC_URL');
  const dataDir = readDataDir(env);
  const logLevel = env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const lifecycle = readLifecycle(env, dataDir);
  const bot = readBotAuth(env);
  const tenants = readTenantRule(env, bot);
  const disabled: Config['disabled'] = [];
  const enable = <T>(provider: ProviderId, result: T | string): T | undefined => {
    if (typeof result !== 'string') return result;
    disabled.push({ provider, reason: result });
    return undefined;
  };
  const sinch = enable('sinch', readSinch(env, publicUrl));
  const sinchConversation = enable('sinch-conversation', readSinchConversation(env));
  const retarus = enable('retarus', readRetarus(env));
  const smartdialog = enable('smartdialog', readSmartDialog(env));
  const sandbox = readSandbox(
    env,
    { sinch, 'sinch-conversation': sinchConversation, retarus, smartdialog },
    bot.appId,
  );
  if (smartdialog && !smartdialog.whatsappServiceId) {
    env.warnings.push(
      'SMARTDIALOG_WHATSAPP_SERVICE_ID is not set: WhatsApp threads and template sends go through SMARTDIALOG_SERVICE_ID',
    );
  }
  if (smartdialog && !publicUrl) {
    env.warnings.push(
      'PUBLIC_URL is not set: SmartDialog sends carry no DlrUrl, so no delivery receipts come back',
    );
  }
  const teamsRatePer30s = env.int('TEAMS_RATE_LIMIT', 60, 1, 6000);
  const teamsAppRatePerSecond = env.int('TEAMS_APP_RATE_LIMIT', 30, 1, 1000);
  const ssoMetadataUrl = env.url('SSO_OPENID_METADATA_URL', ENTRA_COMMON_METADATA) ?? ENTRA_COMMON_METADATA;
  if (bot.appId && !publicUrl) {
    env.warnings.push(
      'PUBLIC_URL is not set: the Inbox tab accepts only v2 SSO tokens (audience MicrosoftAppId); set PUBLIC_URL to accept api://<host>/botid-<app id> too',
    );
  }
  const webhookBodyLimitBytes = env.int('WEBHOOK_BODY_LIMIT', 1024 * 1024, 1024, 50 * 1024 * 1024);
  const mediaMaxBytes = env.int('MEDIA_MAX_BYTES', 5 * 1024 * 1024, 0, 100 * 1024 * 1024);
  const timeZone = readTimeZone(env);

  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return deepFreeze({
    port,
    host: env.get('HOST') ?? '0.0.0.0',
    publicUrl,
    dataDir,
    sqlitePath: sqliteFile(dataDir),
    ...lifecycle,
    logLevel,
    bot,
    tenants,
    teamsAppId: env.get('TEAMS_APP_ID') ?? (bot.appId || undefined),
    ssoMetadataUrl,
    teamsRatePer30s,
    teamsAppRatePerSecond,
    webhookBodyLimitBytes,
    timeZone,
    mediaMaxBytes,
    sinch,
    sinchConversation,
    retarus,
    smartdialog,
    sandbox,
    disabled,
    warnings: env.warnings,
  });
}

/** What the data commands (`npm run migrate`, `backup`, `db:copy`) need: where the store is. */
export interface DataConfig {
  dataDir: string;
  /** The embedded store's file, whether or not DATABASE_URL is set. */
  sqlitePath: string;
  store: StoreConfig;
  warnings: string[];
}

/** The settings of the data commands: DATA_DIR and DATABASE_URL, nothing of Teams or providers. */
export function loadDataConfig(envMap: Env = process.env): DataConfig {
  const env = new EnvReader(envMap);
  const dataDir = readDataDir(env);
  const store = readStore(env, dataDir);
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return deepFreeze({ dataDir, sqlitePath: sqliteFile(dataDir), store, warnings: env.warnings });
}

/** The settings of `npm run package`: only what the manifest needs, no secret. */
export function loadAppPackageConfig(envMap: Env = process.env): AppPackageConfig {
  const env = new EnvReader(envMap);
  const config = readAppPackage(env);
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}

/**
 * TZ: Node silently falls back to UTC on a zone it does not know, so cards would show UTC
 * times without a word; a typo is named here instead.
 */
function readTimeZone(env: EnvReader): string {
  const zone = env.get('TZ');
  if (zone === undefined) return Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    env.problem('TZ', `must be an IANA time zone such as Europe/Berlin (the times on cards), got "${zone}"`);
    return 'UTC';
  }
}

function readDataDir(env: EnvReader): string {
  return path.resolve(env.get('DATA_DIR') ?? './data');
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

function readSandbox(
  env: EnvReader,
  real: Record<string, object | undefined>,
  appId: string,
): Record<string, never> | undefined {
  const raw = env.get('SANDBOX')?.toLowerCase();
  if (raw === undefined || FALSE.includes(raw)) return undefined;
  if (!TRUE.includes(raw)) {
    env.problem('SANDBOX', `must be 1 or 0 (true/false), got "${raw}"`);
    return undefined;
  }
  const configured = Object.keys(real).filter((k) => real[k] !== undefined);
  if (configured.length > 0) {
    // A test provider next to a real one would let pretend messages mix with customers' real ones.
    env.problem(
      'SANDBOX',
      `cannot be on while a real provider is configured (${configured.join(', ')}); unset SANDBOX or that provider's variables`,
    );
    return undefined;
  }
  if (appId) {
    // With an app id the bot answers real Teams tenants; the sandbox's /sandbox/inbound takes
    // unauthenticated posts from loopback, which a reverse proxy on the same host opens to anyone.
    env.problem(
      'SANDBOX',
      'cannot be on while MicrosoftAppId is set: the sandbox is for local mode only (Agents Playground, demo, tests); unset SANDBOX or MicrosoftAppId',
    );
    return undefined;
  }
  return {};
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}
