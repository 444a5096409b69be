/**
 * The dependency direction of design.md: bot → adapters, cards. Adapters and cards import nothing
 * of bot/ (nor the Teams and HTTP server libraries), and cards do not import adapters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** botbuilder's own packages (botbuilder-core, botframework-connector, …) count as botbuilder. */
const FORBIDDEN_PACKAGES = ['botbuilder', 'botframework', 'restify'];

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Every module a source text imports: static, type-only, re-exports, side effects, dynamic, require. */
function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1] ?? ''));
}

/** A specifier as a repository path (relative ones) or a package name (bare ones). */
function target(file: string, specifier: string): { kind: 'path' | 'package'; name: string } {
  if (specifier.startsWith('.')) {
    const resolved = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier));
    return { kind: 'path', name: resolved.split(path.sep).join('/') };
  }
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return { kind: 'package', name };
}

const inFolder = (p: string, folder: string) => p === folder || p.startsWith(`${folder}/`);
const isForbiddenPackage = (name: string) =>
  FORBIDDEN_PACKAGES.some((p) => name === p || name.startsWith(`${p}-`));

/** The imports of one source file that reach a forbidden folder or package, as "file → specifier". */
function violationsIn(file: string, source: string, forbiddenFolders: string[]): string[] {
  return importSpecifiers(source)
    .filter((specifier) => {
      const t = target(file, specifier);
      return t.kind === 'package'
        ? isForbiddenPackage(t.name)
        : forbiddenFolders.some((f) => inFolder(t.name, f));
    })
    .map((specifier) => `${file} → ${specifier}`);
}

/** Imports of `files` into any of `folders`; packages are not checked. */
function folderViolations(files: string[], folders: string[]): string[] {
  return files.flatMap((file) =>
    importSpecifiers(readFileSync(path.join(ROOT, file), 'utf8'))
      .filter((specifier) => {
        const t = target(file, specifier);
        return t.kind === 'path' && folders.some((f) => inFolder(t.name, f));
      })
      .map((specifier) => `${file} → ${specifier}`),
  );
}

function violations(files: string[], forbiddenFolders: string[]): string[] {
  return files.flatMap((file) =>
    violationsIn(file, readFileSync(path.join(ROOT, file), 'utf8'), forbiddenFolders),
  );
}

describe('importSpecifiers', () => {
  it('finds every form of import, and none in comments', () => {
    const source = [
      "import { a } from './a.ts';",
      'import type {',
      '  B,',
      '  C,',
      "} from '../bot/store/types.ts';",
      "import 'side-effect';",
      'export { d } from "./d.ts";',
      "export * from './e.ts';",
      "const f = await import('botbuilder');",
      "const g = require('restify');",
      "// import { x } from 'commented-out';",
      "/* import { y } from 'also-commented'; */",
      "const url = 'https://example.com/from';",
    ].join('\n');
    expect(importSpecifiers(source).sort()).toEqual(
      ['./a.ts', '../bot/store/types.ts', 'side-effect', './d.ts', './e.ts', 'botbuilder', 'restify'].sort(),
    );
  });

  it('recognises forbidden targets', () => {
    const adapter = [
      "import type { Config } from '../../bot/config.ts';",
      "import { TurnContext } from 'botbuilder';",
      "import type { Server } from 'restify';",
      "import { request } from 'undici';",
      "import { ProviderError } from '../errors.ts';",
    ].join('\n');
    expect(violationsIn('adapters/sinch/api.ts', adapter, ['bot'])).toEqual([
      'adapters/sinch/api.ts → ../../bot/config.ts',
      'adapters/sinch/api.ts → botbuilder',
      'adapters/sinch/api.ts → restify',
    ]);
    const card = "import type { ProviderId } from '../adapters/types.ts';\nimport { x } from './text.ts';";
    expect(violationsIn('cards/links.ts', card, ['bot', 'adapters'])).toEqual([
      'cards/links.ts → ../adapters/types.ts',
    ]);
    expect(target('adapters/sinch/api.ts', '../../bot/config.ts')).toEqual({
      kind: 'path',
      name: 'bot/config.ts',
    });
    expect(target('cards/index.ts', '../adapters/types.ts')).toEqual({
      kind: 'path',
      name: 'adapters/types.ts',
    });
    expect(target('cards/index.ts', '@scope/pkg/sub')).toEqual({ kind: 'package', name: '@scope/pkg' });
    expect(isForbiddenPackage('botbuilder')).toBe(true);
    expect(isForbiddenPackage('botbuilder-core')).toBe(true);
    expect(isForbiddenPackage('botframework-connector')).toBe(true);
    expect(isForbiddenPackage('restify')).toBe(true);
    expect(isForbiddenPackage('undici')).toBe(false);
    expect(inFolder('bot/store/types.ts', 'bot')).toBe(true);
    expect(inFolder('bottle/x.ts', 'bot')).toBe(false);
  });
});

describe('dependency direction', () => {
  const adapters = tsFiles('adapters');
  const cards = tsFiles('cards');

  it('scans the adapter and card sources', () => {
    expect(adapters).toContain('adapters/types.ts');
    expect(adapters).toContain('adapters/errors.ts');
    expect(adapters.some((f) => f.startsWith('adapters/sinch/'))).toBe(true);
    expect(cards).toContain('cards/index.ts');
  });

  it('adapters/ imports nothing of bot/, botbuilder or restify', () => {
    expect(violations(adapters, ['bot'])).toEqual([]);
  });

  it('cards/ imports nothing of bot/, adapters/, botbuilder or restify', () => {
    expect(violations(cards, ['bot', 'adapters'])).toEqual([]);
  });

  // The worker uses Teams and the budget; Teams uses the budget, never the worker (issue 10).
  it('bot/teams/ imports nothing of bot/worker/', () => {
    expect(folderViolations(tsFiles('bot/teams'), ['bot/worker'])).toEqual([]);
  });

  it('bot/budget/ imports nothing of bot/teams/, bot/worker/ or the store', () => {
    expect(folderViolations(tsFiles('bot/budget'), ['bot/teams', 'bot/worker', 'bot/store'])).toEqual([]);
  });
});
