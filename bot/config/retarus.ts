/** RETARUS_* variables. */
import { retarusDefaultUrls } from '../../adapters/retarus/index.ts';
import type { EnvReader } from './reader.ts';

export interface RetarusConfig {
  username: string;
  password: string;
  sendUrl: string;
  statusUrls: string[];
  sender?: string;
  webhookSecret: string;
  ratePerMinute: number;
}

// Sends go to the HA endpoint; lookups must ask each data centre.
const RETARUS_SEND_URL = retarusDefaultUrls.send;
const RETARUS_STATUS_URLS = [...retarusDefaultUrls.status];

export function readRetarus(env: EnvReader): RetarusConfig | string {
  const username = env.get('RETARUS_USERNAME');
  const password = env.get('RETARUS_PASSWORD');
  const sendUrl = env.url('RETARUS_SEND_URL', RETARUS_SEND_URL) ?? RETARUS_SEND_URL;
  const statusUrls = env.urls('RETARUS_STATUS_URLS', RETARUS_STATUS_URLS);
  const ratePerMinute = env.int('RETARUS_RATE_LIMIT', 100, 1, 100_000);
  const sender = env.get('RETARUS_SENDER');
  // Numeric senders: up to 20 digits with an optional +; alphanumeric: up to 11 characters.
  if (sender !== undefined && !/^(\+?\d{1,20}|[A-Za-z0-9 .,\-_&!?']{1,11})$/.test(sender)) {
    env.problem(
      'RETARUS_SENDER',
      `must be a number of at most 20 digits or an alphanumeric sender of at most 11 characters, got "${sender}"`,
    );
  }
  if (!username && !password) return 'RETARUS_USERNAME and RETARUS_PASSWORD are not set';
  if (!username) env.problem('RETARUS_USERNAME', 'is required because RETARUS_PASSWORD is set');
  if (!password) env.problem('RETARUS_PASSWORD', 'is required because RETARUS_USERNAME is set');
  const webhookSecret = env.secret('RETARUS_WEBHOOK_SECRET', 'Retarus', '/webhooks/retarus');
  if (!username || !password || !webhookSecret) return 'its configuration has errors';
  return { username, password, sendUrl, statusUrls, sender, webhookSecret, ratePerMinute };
}
