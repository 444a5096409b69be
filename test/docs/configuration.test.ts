/**
 * docs/configuration.md is the configuration reference: every variable the configuration reads is
 * in it, and everything in it is read. "Read" is observed, not guessed: loadConfig runs against
 * environments that record each name it asks for.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../bot/config/reader.ts';
import { loadAppPackageConfig, loadConfig } from '../../bot/config.ts';

const REFERENCE = path.join(import.meta.dirname, '..', '..', 'docs', 'configuration.md');

/** The names in the first column of the reference's tables (one cell may name several). */
function documentedVariables(): Set<string> {
  const names = new Set<string>();
  for (const line of readFileSync(REFERENCE, 'utf8').split('\n')) {
    const firstCell = /^\|([^|]+)\|/.exec(line)?.[1] ?? '';
    for (const match of firstCell.matchAll(/`([A-Za-z][A-Za-z0-9_]*)`/g)) names.add(match[1] ?? '');
  }
  return names;
}

/**
 * The names the configuration (the bot's, and `npm run package`'s) asks `env` for, whether or
 * not the configuration is valid.
 */
function variablesRead(env: Env): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name, receiver) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name, receiver);
    },
  });
  for (const load of [loadConfig, loadAppPackageConfig]) {
    try {
      load(recording);
    } catch {
      // An invalid combination still shows which variables were consulted.
    }
  }
  return read;
}

describe('docs/configuration.md', () => {
  const documented = documentedVariables();
  // Every documented variable set: the configuration then reads even the ones it reads only
  // when their provider is enabled. The empty environment adds what is read when nothing is set.
  const everything = Object.fromEntries([...documented].map((name) => [name, 'x']));
  const read = new Set([...variablesRead({}), ...variablesRead(everything)]);

  it('lists a reasonable number of variables', () => {
    expect(documented.size).toBeGreaterThan(30);
    expect(documented).toContain('PORT');
    expect(documented).toContain('MicrosoftAppId');
  });

  it('documents every variable the configuration reads', () => {
    const missing = [...read].filter((name) => !documented.has(name)).sort();
    expect(missing, 'read by bot/config but not in docs/configuration.md').toEqual([]);
  });

  it('documents only variables the configuration reads', () => {
    const unread = [...documented].filter((name) => !read.has(name)).sort();
    expect(unread, 'in docs/configuration.md but never read by bot/config').toEqual([]);
  });
});
