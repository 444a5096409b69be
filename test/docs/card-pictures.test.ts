/**
 * The pictures in docs/cards are what the bot sends: each is rendered (npm run cards:render) from
 * a gallery card built by the bot's own code, and a picture whose card or renderer changed since
 * fails here until it is rendered again.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cardProblems, unwrappedTextBlocks, visibleTexts } from '../cards/validate.ts';
import {
  FINGERPRINTS_FILE,
  galleryCards,
  PICTURES_DIR,
  pictureFingerprint,
} from '../fixtures/card-gallery.ts';

const gallery = galleryCards();
const recorded = existsSync(FINGERPRINTS_FILE)
  ? (JSON.parse(readFileSync(FINGERPRINTS_FILE, 'utf8')) as Record<string, string>)
  : {};

describe.each(gallery)('the $name picture', ({ name, card, shows }) => {
  it('shows a valid card of at most 28 KB with what it is about', () => {
    expect(cardProblems(card)).toEqual({ parse: [], validation: [] });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    expect(unwrappedTextBlocks(card)).toEqual([]);
    const texts = visibleTexts(card).join('\n');
    for (const words of shows) expect(texts).toContain(words);
  });

  it('was rendered from the card as it is now', () => {
    const stale = `docs/cards/${name}.png shows an older card (or renderer): run npm run cards:render`;
    expect(existsSync(new URL(`${name}.png`, PICTURES_DIR)), `docs/cards/${name}.png is missing`).toBe(true);
    expect(recorded[name], stale).toBe(pictureFingerprint(card));
  });
});

describe('docs/cards', () => {
  it('holds a picture for every gallery card and no other', () => {
    const pictures = readdirSync(fileURLToPath(PICTURES_DIR))
      .filter((file) => file.endsWith('.png'))
      .map((file) => file.slice(0, -'.png'.length));
    expect(pictures.sort()).toEqual(gallery.map((g) => g.name).sort());
    expect(Object.keys(recorded).sort()).toEqual(gallery.map((g) => g.name).sort());
  });
});
