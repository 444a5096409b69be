/** Starts the bot in-process against a fake Bot Connector and a fake Sinch, on loopback. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type App, type AppOptions, createApp } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { type FakeConnector, type FakeConnectorOptions, startFakeConnector } from '../fakes/bot-connector.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { freePort } from './ports.ts';

export const SINCH_KEY = 'k'.repeat(20);
export const SINCH_SECRET = 's'.repeat(30);
export const WEBHOOK_SECRET = 'webhook-secret-0123456789';

export interface Harness {
  app: App;
  url: string;
  connector: FakeConnector;
  sinch: FakeSinch;
  dataDir: string;
  close(): Promise<void>;
}

export function sinchEnv(sinchUrl: string, port: number, dataDir: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SINCH_API_KEY: SINCH_KEY,
    SINCH_API_SECRET: SINCH_SECRET,
    SINCH_BASE_URL: sinchUrl,
    SINCH_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SINCH_RATE_LIMIT: '6000',
    TEAMS_RATE_LIMIT: '3000',
  };
}

export async function startSinchHarness(
  extraEnv: Record<string, string> = {},
  options: Partial<Pick<AppOptions, 'credentials' | 'inbox' | 'tenantAllowed' | 'log'>> & {
    connector?: FakeConnectorOptions;
  } = {},
): Promise<Harness> {
  const { connector: connectorOptions, ...appOptions } = options;
  const connector = await startFakeConnector(connectorOptions);
  const sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-'));
  const port = await freePort();
  const config = loadConfig({ ...sinchEnv(sinch.url, port, dataDir), ...extraEnv });
  const app = await createApp(config, {
    log: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    worker: { idlePollMs: 50 },
    ...appOptions,
  });
  await app.start();
  return {
    app,
    url: app.url(),
    connector,
    sinch,
    dataDir,
    async close() {
      await app.stop();
      await connector.close();
      await sinch.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postWebhook(
  url: string,
  body: unknown,
  opts: { secret?: string; contentType?: string; path?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${opts.path ?? '/webhooks/sinch'}`, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/json',
      ...(opts.secret === '' ? {} : { 'x-webhook-secret': opts.secret ?? WEBHOOK_SECRET }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}
