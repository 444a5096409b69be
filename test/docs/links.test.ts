/**
 * Every link between the README and the pages of docs/ resolves: the file exists, and a `#anchor`
 * is a heading of that file as GitHub names it (lower case, punctuation dropped, spaces as `-`).
 * Links to other sites are not fetched.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The anchors GitHub gives a page's headings (a repeated heading gets -1, -2, …). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = (heading ?? '')
      .toLowerCase()
      .replace(/[`*_~[\]()]/g, '')
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Every link and image target of a page that is not another site or a mail address. */
function localLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with a link of `page`, or undefined when it resolves. */
function problem(page: string, target: string): string | undefined {
  const [file = '', anchor] = target.split('#');
  const resolved = file === '' ? page : path.posix.join(path.posix.dirname(page), decodeURI(file));
  if (!existsSync(path.join(ROOT, resolved))) return `${page} → ${target}: no file ${resolved}`;
  if (anchor === undefined || !resolved.endsWith('.md')) return undefined;
  const anchors = anchorsOf(readFileSync(path.join(ROOT, resolved), 'utf8'));
  return anchors.has(anchor) ? undefined : `${page} → ${target}: ${resolved} has no heading #${anchor}`;
}

describe('anchorsOf and localLinks', () => {
  it('name headings as GitHub does and find relative links only', () => {
    const page =
      '# Try it in five minutes\n## HTTP routes & answers\n## Notes\n## Notes\n```\n# not a heading\n```';
    expect([...anchorsOf(page)]).toEqual([
      'try-it-in-five-minutes',
      'http-routes--answers',
      'notes',
      'notes-1',
    ]);
    const links = '[a](docs/a.md#x) ![p](docs/p.png) [w](https://example.com) `[c](code.md)` [m](mailto:x@y)';
    expect(localLinks(links)).toEqual(['docs/a.md#x', 'docs/p.png']);
  });
});

describe.each(PAGES)('the links of %s', (page) => {
  it('all resolve', () => {
    const links = localLinks(readFileSync(path.join(ROOT, page), 'utf8'));
    expect(links.map((l) => problem(page, l)).filter(Boolean)).toEqual([]);
  });
});

it('the README links every page of docs/', () => {
  const readmeLinks = new Set(
    localLinks(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).map((l) => l.split('#')[0]),
  );
  expect(PAGES.filter((p) => p !== 'README.md' && !readmeLinks.has(p))).toEqual([]);
});

it('the README stays a front door: at most 150 lines', () => {
  const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(150);
});
