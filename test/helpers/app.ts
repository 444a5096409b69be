/** Starts the bot in-process on loopback with the given provider settings and a fake Bot Connector. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type App, createApp } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';
import { freePort } from './ports.ts';

export interface AppHarness {
  app: App;
  url: string;
  connector: FakeConnector;
  close(): Promise<void>;
}

/** `env(url)` gets the bot's own URL, for settings such as PUBLIC_URL. */
export async function startApp(env: (url: string) => Record<string, string>): Promise<AppHarness> {
  const connector = await startFakeConnector();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-'));
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    TEAMS_RATE_LIMIT: '3000',
    ...env(url),
  });
  const app = await createApp(config, {
    log: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    worker: { idlePollMs: 50 },
  });
  await app.start();
  return {
    app,
    url,
    connector,
    async close() {
      await app.stop();
      await connector.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
