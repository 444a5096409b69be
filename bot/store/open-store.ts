/**
 * Opens the store the configuration names, and what differs for the rest of the bot between one
 * process on a SQLite file and several instances on one PostgreSQL database: who takes back the
 * jobs of a process that stopped, how long a lease lasts, and where the media signing key lives.
 */

import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { type StopCause, takeLastStop } from '../crash-record.ts';
import { mediaKey } from '../http/media-links.ts';
import type { WorkerOptions } from '../worker/runner.ts';
import type { KyselyStore } from './kysely-store.ts';
import { openPostgresStore } from './postgres.ts';
import { redactedUrl } from './redacted-url.ts';
import { keepFirstSetting } from './settings.ts';
import { openSqliteStore } from './sqlite.ts';

/**
 * Leases on a shared store: short, renewed a third of the way through, so the jobs of an instance
 * that died are taken over by another within about 35 s (lease plus the 5 s check of job-store.ts).
 */
const SHARED_LEASE_MS = 30_000;
/** Other instances' commits wake the worker (LISTEN/NOTIFY); the poll is only a fallback. */
const SHARED_IDLE_POLL_MS = 5_000;

/** The store could not be opened: the message says where and what to check. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

export async function openStore(config: Config, log: Logger): Promise<KyselyStore> {
  if (config.store.kind === 'sqlite') return openSqliteStore(config.store.path);
  const { url, poolSize } = config.store;
  try {
    return await openPostgresStore(url, {
      poolSize,
      instanceId: config.instanceId,
      onListenError: (err) => log.warn({ err }, 'lost the PostgreSQL notification connection; reconnecting'),
    });
  } catch (err) {
    throw new StoreOpenError(
      `cannot open the PostgreSQL store at ${redactedUrl(url)}: ${(err as Error).message}. Check DATABASE_URL (host, port, user, password, database) and that the database exists`,
      { cause: err },
    );
  }
}

export function isShared(store: KyselyStore): boolean {
  return !store.dialect.singleWriter;
}

/** The worker's settings for this store: its lease owner, lease and poll. */
export function workerDefaults(store: KyselyStore, config: Config): WorkerOptions {
  if (!isShared(store)) return {};
  return { owner: config.instanceId, leaseMs: SHARED_LEASE_MS, idlePollMs: SHARED_IDLE_POLL_MS };
}

/**
 * Takes back the jobs the last run of this process (this instance) was running when it stopped.
 * One process owns a SQLite file, so every lease is its own; on a shared store only the leases of
 * this instance's id are (the others' jobs are running). Only a job that itself stopped the
 * process (or all, when nobody knows what did) is charged an attempt for it.
 */
export async function takeBackLeases(store: KyselyStore, config: Config, log: Logger): Promise<void> {
  const lastStop = takeLastStop(config.dataDir);
  const released = await store.releaseLeases(lastStop, isShared(store) ? config.instanceId : undefined);
  if (released > 0 || lastStop.kind === 'job')
    log.warn({ released, lastStop }, 'jobs interrupted by the last stop are queued again');
}

/** A stopping instance of a shared store hands its unfinished jobs to the others at once. */
export async function handOverLeases(store: KyselyStore, config: Config, cause: StopCause): Promise<number> {
  if (!isShared(store)) return 0;
  return store.releaseLeases(cause, config.instanceId);
}

/** The key of signed media links: in DATA_DIR for one process, in the database for several. */
export async function mediaSigningKey(store: KyselyStore, config: Config): Promise<Buffer> {
  if (!isShared(store)) return mediaKey(config.dataDir);
  const key = await keepFirstSetting(store.db, 'media-key', randomBytes(32).toString('base64'));
  return Buffer.from(key, 'base64');
}
