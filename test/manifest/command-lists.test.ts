import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../bot/commands/index.ts';
import { COMMAND_MENU } from '../../bot/commands/menu.ts';
import {
  buildCommandLists,
  buildManifest,
  COMMAND_LIST_LIMITS,
  cut,
  ManifestError,
  type MenuCommand,
} from '../../manifest/build-manifest.ts';
import { validateManifest } from '../../manifest/validate.ts';
import { SCHEMA_LIMITS, sampleConfig } from './sample.ts';

const lists = buildManifest(sampleConfig(), COMMANDS, COMMAND_MENU).bots[0]!.commandLists!;

describe('the command menu in the manifest', () => {
  it('uses the limits of the v1.24 schema', () => {
    expect(COMMAND_LIST_LIMITS).toEqual({
      commands: SCHEMA_LIMITS.commands,
      title: SCHEMA_LIMITS.title,
      description: SCHEMA_LIMITS.description,
    });
  });

  it('has one list per scope of the menu, in its order', () => {
    expect(lists.map((l) => l.scopes)).toEqual(Object.keys(COMMAND_MENU).map((s) => [s]));
    expect(lists.length).toBeLessThanOrEqual(SCHEMA_LIMITS.lists);
    for (const list of lists) {
      const scope = list.scopes[0] as keyof typeof COMMAND_MENU;
      expect(list.commands.map((c) => c.title)).toEqual(COMMAND_MENU[scope]);
    }
  });

  it('lists every command of the dispatch table in some list', () => {
    const listed = new Set(lists.flatMap((l) => l.commands.map((c) => c.title)));
    for (const name of COMMANDS.keys())
      expect(listed, `command "${name}" is in no command list`).toContain(name);
  });

  it('lists only commands of the dispatch table, with their descriptions', () => {
    for (const list of lists) {
      for (const entry of list.commands) {
        const command = COMMANDS.get(entry.title);
        expect(command, `"${entry.title}" in the ${list.scopes[0]} list is not a command`).toBeDefined();
        expect(entry.description).toBe(cut(command!.description, SCHEMA_LIMITS.description));
      }
    }
  });

  it('keeps every list, title and description within the schema limits', () => {
    for (const list of lists) {
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(SCHEMA_LIMITS.commands);
      expect(new Set(list.commands.map((c) => c.title)).size).toBe(list.commands.length);
      for (const entry of list.commands) {
        expect(entry.title.length).toBeGreaterThan(0);
        expect(entry.title.length).toBeLessThanOrEqual(SCHEMA_LIMITS.title);
        expect(entry.description.length).toBeGreaterThan(0);
        expect(entry.description.length).toBeLessThanOrEqual(SCHEMA_LIMITS.description);
      }
    }
  });
});

describe('buildCommandLists', () => {
  const commands = new Map<string, MenuCommand>([
    ['alpha', { name: 'alpha', description: 'First.' }],
    ['beta', { name: 'beta', description: 'b'.repeat(5000) }],
  ]);

  it('follows the menu it is given, and cuts long descriptions to the limit', () => {
    const result = buildCommandLists(commands, { team: ['alpha', 'beta'], personal: ['beta'] });
    expect(result.map((l) => [l.scopes, l.commands.map((c) => c.title)])).toEqual([
      [['team'], ['alpha', 'beta']],
      [['personal'], ['beta']],
    ]);
    const long = result[0]!.commands[1]!.description;
    expect(long).toHaveLength(SCHEMA_LIMITS.description);
    expect(long.endsWith('…')).toBe(true);
    expect(result[0]!.commands[0]!.description).toBe('First.');
  });

  it('refuses a menu that names an unknown command', () => {
    expect(() => buildCommandLists(commands, { team: ['alpha', 'gamma'] })).toThrow(ManifestError);
    expect(() => buildCommandLists(commands, { team: ['gamma'] })).toThrow(/"gamma".*menu\.ts/);
  });

  it('leaves a list that is too long to the schema check, which reports it', async () => {
    const many = new Map<string, MenuCommand>(
      Array.from({ length: 13 }, (_, i) => [`c${i}`, { name: `c${i}`, description: 'x' }] as const),
    );
    const manifest = buildManifest(sampleConfig(), many, { team: [...many.keys()] });
    expect(await validateManifest(manifest)).toEqual([
      expect.stringMatching(/^\/bots\/0\/commandLists\/0\/commands must NOT have more than 12 items/),
    ]);
  });
});
