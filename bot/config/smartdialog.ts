/** SMARTDIALOG_* variables. */
import {
  SMARTDIALOG_DEFAULT_BASE_URL as SMARTDIALOG_BASE_URL,
  SMARTDIALOG_TOKEN_URL,
} from '../../adapters/smartdialog/index.ts';
import type { EnvReader } from './reader.ts';

export type SmartDialogAuth =
  | { accessToken: string }
  | { clientId: string; clientSecret: string; refreshToken: string; tokenUrl: string };

export interface SmartDialogConfig {
  baseUrl: string;
  auth: SmartDialogAuth;
  customerId: string;
  serviceId: string;
  /** The service WhatsApp threads and template sends go through. */
  whatsappServiceId?: string;
  sender?: string;
  groupServiceId?: string;
  webhookSecret: string;
  ratePerMinute: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OAUTH_VARS = [
  'SMARTDIALOG_CLIENT_ID',
  'SMARTDIALOG_CLIENT_SECRET',
  'SMARTDIALOG_REFRESH_TOKEN',
] as const;

export function readSmartDialog(env: EnvReader): SmartDialogConfig | string {
  const baseUrl = env.url('SMARTDIALOG_BASE_URL', SMARTDIALOG_BASE_URL) ?? SMARTDIALOG_BASE_URL;
  const tokenUrl = env.url('SMARTDIALOG_TOKEN_URL', SMARTDIALOG_TOKEN_URL) ?? SMARTDIALOG_TOKEN_URL;
  const ratePerMinute = env.int('SMARTDIALOG_RATE_LIMIT', 100, 1, 100_000);
  const accessToken = env.get('SMARTDIALOG_ACCESS_TOKEN');
  const [clientId, clientSecret, refreshToken] = OAUTH_VARS.map((v) => env.get(v));
  const oauthSet = OAUTH_VARS.filter((v) => env.get(v) !== undefined);
  if (!accessToken && oauthSet.length === 0) {
    return 'neither SMARTDIALOG_ACCESS_TOKEN nor SMARTDIALOG_CLIENT_ID/SECRET/REFRESH_TOKEN is set';
  }
  if (accessToken && oauthSet.length > 0) {
    env.problem(
      'SMARTDIALOG_ACCESS_TOKEN',
      `set either a bearer token or the OAuth refresh flow (${oauthSet.join(', ')}), not both`,
    );
  }
  if (!accessToken) {
    for (const v of OAUTH_VARS) {
      if (!env.get(v))
        env.problem(v, `is required for the OAuth refresh flow (${oauthSet.join(', ')} is set)`);
    }
  }
  const ids: Record<string, string | undefined> = {};
  for (const v of [
    'SMARTDIALOG_CUSTOMER_ID',
    'SMARTDIALOG_SERVICE_ID',
    'SMARTDIALOG_WHATSAPP_SERVICE_ID',
    'SMARTDIALOG_GROUP_SERVICE_ID',
  ]) {
    const value = env.get(v);
    if (value !== undefined && !GUID.test(value)) env.problem(v, `must be a GUID, got "${value}"`);
    ids[v] = value;
  }
  const customerId = ids['SMARTDIALOG_CUSTOMER_ID'];
  const serviceId = ids['SMARTDIALOG_SERVICE_ID'];
  if (!customerId) env.problem('SMARTDIALOG_CUSTOMER_ID', 'is required when SmartDialog is enabled');
  if (!serviceId) {
    env.problem(
      'SMARTDIALOG_SERVICE_ID',
      'is required: the one-way service (with replies allowed) used to send',
    );
  }
  const sender = env.get('SMARTDIALOG_SENDER');
  if (sender !== undefined && sender.length > 20)
    env.problem('SMARTDIALOG_SENDER', 'must be at most 20 characters');
  const webhookSecret = env.secret('SMARTDIALOG_WEBHOOK_SECRET', 'SmartDialog', '/webhooks/smartdialog');
  if (
    env.problems.some((p) => p.variable.startsWith('SMARTDIALOG_')) ||
    !customerId ||
    !serviceId ||
    !webhookSecret
  ) {
    return 'its configuration has errors';
  }
  const auth: SmartDialogAuth = accessToken
    ? { accessToken }
    : {
        clientId: clientId ?? '',
        clientSecret: clientSecret ?? '',
        refreshToken: refreshToken ?? '',
        tokenUrl,
      };
  return {
    baseUrl,
    auth,
    customerId,
    serviceId,
    sender,
    groupServiceId: ids['SMARTDIALOG_GROUP_SERVICE_ID'],
    whatsappServiceId: ids['SMARTDIALOG_WHATSAPP_SERVICE_ID'],
    webhookSecret,
    ratePerMinute,
  };
}
