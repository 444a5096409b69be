/**
 * The scripts take their settings from the same place as the bot: the environment, then `.env`
 * for what it leaves unset (as bot/main.ts does), read and checked by loadConfig.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { type Config, ConfigError, type DataConfig, loadConfig, loadDataConfig } from '../config.ts';

/** The repository root: where the bot runs from and where `.env` lives. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A problem the user can fix; the scripts print its message alone and exit 1. */
export class CliError extends Error {
  override name = 'CliError';
}

let dotEnvLoaded = false;

/** The bot's settings here, with `overrides` on top (for the demo's sandbox bot). */
export function cliConfig(overrides: Record<string, string> = {}): Config {
  return fromEnvironment(loadConfig, overrides);
}

/** Where the store is (DATA_DIR, DATABASE_URL), for the data commands: migrate, backup, db:copy. */
export function cliDataConfig(): DataConfig {
  return fromEnvironment(loadDataConfig);
}

function fromEnvironment<T>(load: (env: NodeJS.ProcessEnv) => T, overrides: Record<string, string> = {}): T {
  const dotEnv = path.join(ROOT, '.env');
  if (!dotEnvLoaded && existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  dotEnvLoaded = true;
  try {
    return load({ ...process.env, ...overrides });
  } catch (err) {
    if (err instanceof ConfigError)
      throw new CliError(`${err.message}\nFix the variables above (environment or .env).`);
    throw err;
  }
}

/** Runs a script's main function: a CliError is printed plainly, anything else with its stack. */
export function runCli(main: () => Promise<number | undefined>): void {
  main().then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof CliError ? err.message : err);
      process.exitCode = 1;
    },
  );
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * A script's flags and positional arguments, plus `--help`: a wrong flag is a CliError with the
 * usage; undefined means help was asked for and printed.
 */
export function parseCliArgs<T extends ParseArgsOptionsConfig>(options: T, usage: string) {
  let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: T & typeof HELP }>>;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { ...options, ...HELP } });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return undefined;
  }
  return parsed;
}

/**
 * The flags of the scripts that start the Playground: `--port <port>` (else `defaultPort`) and
 * `--help`. Undefined means help was asked for and printed.
 */
export function playgroundPortFlag(usage: string, defaultPort: number): number | undefined {
  let values: { port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    return undefined;
  }
  const port = values.port === undefined ? defaultPort : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliError(`--port must be a port number, got "${values.port}".\n\n${usage}`);
  }
  return port;
}
