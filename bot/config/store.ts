/**
 * Where the bot keeps its data: the embedded SQLite file under DATA_DIR, or PostgreSQL at
 * DATABASE_URL (several instances may share it); how long message contents are kept; and the
 * name of this instance in logs, metrics and job leases.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { EnvReader } from './reader.ts';

export type StoreConfig =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      url: string;
      /** Connections per instance (DATABASE_POOL_SIZE). */
      poolSize: number;
    };

export interface LifecycleConfig {
  store: StoreConfig;
  /** Erase message bodies, raw payloads and media older than this (RETENTION_DAYS); unset: keep. */
  retentionDays?: number;
  /** This instance's name (INSTANCE_ID; default host name and process id). */
  instanceId: string;
}

const INSTANCE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function readLifecycle(env: EnvReader, dataDir: string): LifecycleConfig {
  const store = readStore(env, dataDir);
  const days = env.get('RETENTION_DAYS');
  const retentionDays = days === undefined ? undefined : env.int('RETENTION_DAYS', 0, 1, 36_500);
  const instanceId = env.get('INSTANCE_ID') ?? `${hostname()}-${process.pid}`;
  if (!INSTANCE_ID.test(instanceId)) {
    env.problem(
      'INSTANCE_ID',
      `must be 1 to 64 letters, digits, dots, dashes, underscores or colons, got "${instanceId}"`,
    );
  }
  return { store, ...(retentionDays !== undefined ? { retentionDays } : {}), instanceId };
}

/** Where the data is: PostgreSQL when DATABASE_URL is set, else the SQLite file under DATA_DIR. */
export function readStore(env: EnvReader, dataDir: string): StoreConfig {
  const url = env.get('DATABASE_URL');
  const poolSize = env.int('DATABASE_POOL_SIZE', 10, 1, 200);
  if (url !== undefined) {
    const problem = postgresUrlProblem(url);
    if (problem) env.problem('DATABASE_URL', problem);
    else return { kind: 'postgres', url, poolSize };
  } else if (env.get('DATABASE_POOL_SIZE') !== undefined) {
    env.warnings.push(
      'DATABASE_POOL_SIZE is set without DATABASE_URL: the SQLite store has no pool, so it is ignored',
    );
  }
  return { kind: 'sqlite', path: sqliteFile(dataDir) };
}

/** The embedded store's file in DATA_DIR. */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'textbridge.sqlite');
}

/** What is wrong with a DATABASE_URL, in words an operator can act on; undefined when nothing. */
export function postgresUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be a PostgreSQL connection URL such as postgres://user:password@db.example.com:5432/textbridge (unset it to use the embedded SQLite store)';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `must start with postgres:// or postgresql:// (only PostgreSQL is supported; unset it to use the embedded SQLite store), got ${url.protocol}//`;
  }
  if (!url.hostname && !url.searchParams.get('host'))
    return 'names no host: write postgres://user@host:5432/database';
  if (url.pathname.length <= 1) return 'names no database: write postgres://user@host:5432/database';
  return undefined;
}
