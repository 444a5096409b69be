/** The Bot Framework's standard Microsoft* variables. */
import type { EnvReader } from './reader.ts';

export interface BotAuthConfig {
  appId: string;
  appPassword: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string;
  /** Every Bot Framework option from the environment, passed as-is to ConfigurationBotFrameworkAuthentication. */
  frameworkOptions: Record<string, string>;
}

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
  return { appId, appPassword, appType, tenantId, frameworkOptions };
}
