/** SINCH_* variables. */
import { type SinchRegion, sinchBaseUrl } from '../../adapters/sinch/index.ts';
import { parseSinchPublicKeys } from '../../adapters/sinch/signature.ts';
import type { EnvReader } from './reader.ts';

export interface SinchConfig {
  apiKey: string;
  apiSecret: string;
  region: SinchRegion;
  baseUrl: string;
  sourceNumber?: string;
  webhookSecret: string;
  /** Public keys of Sinch's signed callbacks (optional account feature). */
  signatureKeys?: string;
  ratePerMinute: number;
}

const REGIONS: readonly SinchRegion[] = ['messagemedia', 'eu', 'au'];

/** The Sinch settings, or the reason Sinch is off. */
export function readSinch(env: EnvReader, publicUrl: string | undefined): SinchConfig | string {
  const apiKey = env.get('SINCH_API_KEY');
  const apiSecret = env.get('SINCH_API_SECRET');
  const region = env.oneOf('SINCH_REGION', REGIONS, 'messagemedia');
  const baseUrl = env.url('SINCH_BASE_URL') ?? sinchBaseUrl(region);
  const ratePerMinute = env.int('SINCH_RATE_LIMIT', 100, 1, 100_000);
  const sourceNumber = env.sender('SINCH_SOURCE_NUMBER', '+61491570156');
  const signatureKeys = env.get('SINCH_SIGNATURE_KEYS');
  if (signatureKeys !== undefined) {
    try {
      parseSinchPublicKeys(signatureKeys);
    } catch (err) {
      env.problem(
        'SINCH_SIGNATURE_KEYS',
        `must be "<key id>=<public_key>" pairs as Sinch's signature key API returns them, or one PEM key (${(err as Error).message})`,
      );
    }
  }
  if (!apiKey && !apiSecret) return 'SINCH_API_KEY and SINCH_API_SECRET are not set';
  if (!apiKey) env.problem('SINCH_API_KEY', 'is required because SINCH_API_SECRET is set');
  if (!apiSecret) env.problem('SINCH_API_SECRET', 'is required because SINCH_API_KEY is set');
  const webhookSecret = env.secret('SINCH_WEBHOOK_SECRET', 'Sinch', '/webhooks/sinch');
  if (!publicUrl) {
    env.warnings.push(
      'PUBLIC_URL is not set: Sinch sends carry no callback_url, so delivery receipts arrive only through an account webhook pointed at /webhooks/sinch',
    );
  }
  if (!apiKey || !apiSecret || !webhookSecret) return 'its configuration has errors';
  return { apiKey, apiSecret, region, baseUrl, sourceNumber, webhookSecret, signatureKeys, ratePerMinute };
}
