/**
 * GET /media/<id>?sig=<expiry>.<hmac>: inbound media for the cards. A link that is wrong or has
 * expired is refused (403); media kept as bytes is served with its type, never sniffed; media the
 * provider keeps at a URL is a redirect there.
 */
import type { Request, Response } from 'restify';
import type { Store } from '../store/types.ts';
import type { MediaLinks } from './media-links.ts';

/** type/subtype only: a stored content type is the provider's text, not ours to trust. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

export function mediaHandler(store: Store, links: MediaLinks) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = String(req.params?.['id'] ?? '');
    const sig = new URL(req.url ?? '/', 'http://local').searchParams.get('sig') ?? '';
    if (!links.verify(id, sig)) {
      res.send(403, { error: 'this media link is wrong or has expired; open the message card again' });
      return;
    }
    const media = await store.getMedia(id);
    if (!media) {
      res.send(404, { error: 'no such media (it may have been erased with its message)' });
      return;
    }
    if (media.url && !media.data) {
      res.redirect(302, media.url, () => undefined);
      return;
    }
    if (!media.data) {
      res.send(404, { error: 'this file was not kept' });
      return;
    }
    const type =
      media.contentType && MEDIA_TYPE.test(media.contentType)
        ? media.contentType
        : 'application/octet-stream';
    const name = (media.name ?? 'attachment').replace(/[^\w.() -]/g, '_');
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(media.data.length),
      'content-disposition': `${type.startsWith('image/') ? 'inline' : 'attachment'}; filename="${name}"`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'cache-control': 'private, max-age=86400',
    });
    res.end(media.data);
  };
}
