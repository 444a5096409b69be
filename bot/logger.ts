/**
 * The bot's logger: one JSON object per line on stdout. Above debug, customers' phone numbers are
 * masked (log-mask.ts); secrets are masked or removed at every level.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { maskValue } from './log-mask.ts';

/** pino's number for debug: lines above it (info, warn, error, fatal) mask customer numbers. */
const DEBUG = 20;

/** Fields that hold secrets, wherever they sit, removed from every line. */
const REDACT = [
  '*.apiSecret',
  '*.password',
  '*.webhookSecret',
  '*.secret',
  '*.keySecret',
  '*.clientSecret',
  '*.accessToken',
  '*.refreshToken',
  '*.appPassword',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-webhook-secret"]',
];

/**
 * `instance` (INSTANCE_ID) goes on every line, so the logs of several instances can be told apart.
 */
export function createLogger(level: string, destination?: DestinationStream, instance?: string): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'textbridge', ...(instance ? { instance } : {}) },
    redact: { paths: REDACT, remove: true },
    hooks: {
      logMethod(args, method, lineLevel) {
        const numbers = lineLevel > DEBUG;
        const masked = args.map((arg) => maskValue(arg, numbers)) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
