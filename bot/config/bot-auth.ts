/** The Bot Framework's standard Microsoft* variables. */
import type { EnvReader } from './reader.ts';

export interface BotAuthConfig {
  appId: string;
  appPassword: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string;
  /** Every Bot Framework option from the environment, passed as-is to ConfigurationBotFrameworkAuthentication. */
  frameworkOptions: Record<string, string>;
  /** How tokens on /api/messages are checked (bot/teams/bot-token.ts). */
  token: BotTokenConfig;
}

export interface BotTokenConfig {
  /** BOT_OPENID_METADATA_URL: the OpenID configuration whose keys sign the Bot Connector's tokens. */
  openIdMetadataUrl: string;
  /** The `iss` of those tokens. */
  issuer: string;
  /** The scope the bot's own calls to the Connector ask a token for. */
  outboundScope: string;
  /** The callerId set on authenticated activities. */
  callerId: string;
}

/** Public cloud and US Government, as botframework-connector's GovernmentConstants name them. */
const CLOUDS = {
  public: {
    openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    issuer: 'https://api.botframework.com',
    outboundScope: 'https://api.botframework.com',
    callerId: 'urn:botframework:azure',
  },
  usgov: {
    openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    issuer: 'https://api.botframework.us',
    outboundScope: 'https://api.botframework.us',
    callerId: 'urn:botframework:azureusgov',
  },
} as const;
const US_GOV_CHANNEL_SERVICE = 'https://botframework.azure.us';

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
const FRAMEWORK_KEYS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'OAuthUrl',
  'ChannelService',
  'ValidateAuthority',
  'CallerId',
  'CertificateThumbprint',
  'CertificatePrivateKey',
];

export function readBotAuth(env: EnvReader): BotAuthConfig {
  const frameworkOptions: Record<string, string> = {};
  for (const key of FRAMEWORK_KEYS) {
    const value = env.get(key);
    if (value !== undefined) frameworkOptions[key] = value;
  }
  const appId = env.get('MicrosoftAppId') ?? '';
  const appPassword = env.get('MicrosoftAppPassword') ?? '';
  const tenantId = env.get('MicrosoftAppTenantId') ?? '';
  const appType = env.oneOf('MicrosoftAppType', APP_TYPES, 'MultiTenant');
  if (!appId && (appPassword || tenantId)) {
    env.problem(
      'MicrosoftAppId',
      'is empty while MicrosoftAppPassword or MicrosoftAppTenantId is set; set the Azure Bot app id',
    );
  }
  if (appId && !/^[0-9a-f-]{36}$/i.test(appId)) {
    env.problem('MicrosoftAppId', `must be the Azure Bot's app id (a GUID), got "${appId}"`);
  }
  if (appId && appType === 'SingleTenant') {
    if (!tenantId) env.problem('MicrosoftAppTenantId', 'is required when MicrosoftAppType=SingleTenant');
    if (!appPassword) env.problem('MicrosoftAppPassword', 'is required when MicrosoftAppType=SingleTenant');
  }
  if (appId && appType === 'MultiTenant' && !appPassword) {
    env.problem('MicrosoftAppPassword', 'is required when MicrosoftAppId is set');
  }
  if (appId && appType === 'UserAssignedMSI' && !tenantId) {
    env.problem('MicrosoftAppTenantId', 'is required when MicrosoftAppType=UserAssignedMSI');
  }
  frameworkOptions['MicrosoftAppType'] = appType;
  return { appId, appPassword, appType, tenantId, frameworkOptions, token: readToken(env) };
}

function readToken(env: EnvReader): BotTokenConfig {
  const cloud =
    env.get('ChannelService')?.replace(/\/+$/, '') === US_GOV_CHANNEL_SERVICE ? CLOUDS.usgov : CLOUDS.public;
  return {
    openIdMetadataUrl:
      env.url('BOT_OPENID_METADATA_URL') ??
      env.url('ToBotFromChannelOpenIdMetadataUrl') ??
      cloud.openIdMetadataUrl,
    issuer: env.get('ToBotFromChannelTokenIssuer') ?? cloud.issuer,
    outboundScope: env.get('ToChannelFromBotOAuthScope') ?? cloud.outboundScope,
    callerId: env.get('CallerId') ?? cloud.callerId,
  };
}
