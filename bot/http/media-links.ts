/**
 * Signed, expiring links to stored inbound media (`GET /media/<id>?sig=<expiry>.<hmac>`), so a
 * card can show an image that Teams clients fetch themselves while nobody can enumerate media.
 * The key lives in DATA_DIR (created on first start), so links survive a restart.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** How long a card's media link works; a card older than this shows the file's name only. */
export const MEDIA_LINK_TTL_MS = 30 * 24 * 3600_000;

export interface MediaLinks {
  /** The link for a card, or undefined when the bot has no PUBLIC_URL to build it from. */
  href(mediaId: string, now?: number): string | undefined;
  /** Whether `sig` is a valid, unexpired signature of `mediaId`. */
  verify(mediaId: string, sig: string, now?: number): boolean;
}

export function mediaLinks(publicUrl: string | undefined, key: Buffer): MediaLinks {
  const mac = (id: string, expires: number) =>
    createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url');
  return {
    href(mediaId, now = Date.now()) {
      if (!publicUrl) return undefined;
      const expires = Math.floor((now + MEDIA_LINK_TTL_MS) / 1000);
      return `${publicUrl}/media/${encodeURIComponent(mediaId)}?sig=${expires}.${mac(mediaId, expires)}`;
    },
    verify(mediaId, sig, now = Date.now()) {
      const match = /^(\d{1,12})\.([\w-]{43})$/.exec(sig);
      if (!match) return false;
      const expires = Number(match[1]);
      if (expires * 1000 < now) return false;
      const expected = Buffer.from(mac(mediaId, expires));
      const given = Buffer.from(match[2]!);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/** The signing key in `dataDir`, made on first use. */
export function mediaKey(dataDir: string): Buffer {
  const existing = existingMediaKey(dataDir);
  if (existing) return Buffer.from(existing, 'base64');
  const file = keyFile(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

let current: MediaLinks | undefined;

/** Set once by the app at start; cards built before (or in tests without it) carry no links. */
export function setMediaLinks(links: MediaLinks | undefined): void {
  current = links;
}

export function mediaHref(mediaId: string | undefined): string | undefined {
  return mediaId ? current?.href(mediaId) : undefined;
}

/** The signing key in `dataDir` (base64) if the bot made one; db:copy carries it to PostgreSQL. */
export function existingMediaKey(dataDir: string): string | undefined {
  const file = keyFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

function keyFile(dataDir: string): string {
  return path.join(dataDir, 'media-signing.key');
}
