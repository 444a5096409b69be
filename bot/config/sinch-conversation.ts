/** SINCH_CONVERSATION_* variables: the Conversation API provider (RCS with SMS fallback). */
import {
  type ConversationRegion,
  conversationBaseUrl,
  SINCH_AUTH_URL,
} from '../../adapters/sinch-conversation/index.ts';
import type { EnvReader } from './reader.ts';

export interface SinchConversationConfig {
  projectId: string;
  appId: string;
  keyId: string;
  keySecret: string;
  region: ConversationRegion;
  baseUrl: string;
  authUrl: string;
  webhookSecret: string;
  smsSender?: string;
  ratePerMinute: number;
}

const REGIONS: readonly ConversationRegion[] = ['us', 'eu', 'br'];
const CREDENTIALS = [
  'SINCH_CONVERSATION_PROJECT_ID',
  'SINCH_CONVERSATION_APP_ID',
  'SINCH_CONVERSATION_KEY_ID',
  'SINCH_CONVERSATION_KEY_SECRET',
] as const;

export function readSinchConversation(env: EnvReader): SinchConversationConfig | string {
  const [projectId, appId, keyId, keySecret] = CREDENTIALS.map((name) => env.get(name));
  // The app lives in one region; any other region's host answers 404 (sinch-conversation.md §1).
  const region = env.oneOf('SINCH_CONVERSATION_REGION', REGIONS, 'us');
  const baseUrl = env.url('SINCH_CONVERSATION_BASE_URL') ?? conversationBaseUrl(region);
  const authUrl = env.url('SINCH_CONVERSATION_AUTH_URL') ?? SINCH_AUTH_URL;
  const ratePerMinute = env.int('SINCH_CONVERSATION_RATE_LIMIT', 100, 1, 100_000);
  const smsSender = env.sender('SINCH_CONVERSATION_SMS_SENDER', '+46700000001');
  const set = CREDENTIALS.filter((name) => env.get(name) !== undefined);
  if (set.length === 0) return `${CREDENTIALS.join(', ')} are not set`;
  for (const name of CREDENTIALS) {
    if (!env.get(name))
      env.problem(name, `is required for the Sinch Conversation API (${set.join(', ')} is set)`);
  }
  // An HMAC key: the same length rule as every webhook secret.
  const webhookSecret = env.secret(
    'SINCH_CONVERSATION_WEBHOOK_SECRET',
    'the Sinch Conversation API',
    '/webhooks/sinch-conversation',
  );
  if (!projectId || !appId || !keyId || !keySecret || !webhookSecret) return 'its configuration has errors';
  if (env.problems.some((p) => p.variable.startsWith('SINCH_CONVERSATION_')))
    return 'its configuration has errors';
  return {
    projectId,
    appId,
    keyId,
    keySecret,
    region,
    baseUrl,
    authUrl,
    webhookSecret,
    smsSender,
    ratePerMinute,
  };
}
