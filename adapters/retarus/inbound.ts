/**
 * The inbound SMS push ("SMS-to-Applications", providers README §2.4): by default XML, optionally
 * JSON, with the fields cuNo, smsId, storeTs, src, dst and text.
 *
 * NOT FOUND in the Retarus docs: the XML wrapper element's name and the exact JSON shape. So any
 * root element is accepted (and one more wrapper level inside it), and the JSON variant is read as
 * a flat object with the same field names. Replace this with the real shape once Retarus sends a
 * sample.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { WebhookParseError } from '../errors.ts';
import { xmlLimitProblem } from '../input-limits.ts';
import { isoTime } from '../time.ts';
import type { InboundMessage } from '../types.ts';
import { checkPayload } from '../webhook-parse.ts';

const FIELDS = ['cuNo', 'smsId', 'storeTs', 'src', 'dst', 'text'] as const;

// Customer numbers or phone numbers may come unquoted in JSON; they are ids, so keep them as text.
const idLike = z.union([z.string(), z.number()]).transform((value) => String(value).trim());

const inboundSchema = z
  .object({
    cuNo: idLike.nullish(),
    smsId: idLike.pipe(z.string().min(1)),
    storeTs: idLike.nullish(),
    src: idLike.pipe(z.string().min(1)),
    dst: idLike.pipe(z.string().min(1)),
    // Kept verbatim: leading and trailing spaces are part of what the customer wrote.
    text: z.string(),
  })
  .passthrough();

export type RetarusInbound = z.output<typeof inboundSchema>;

export function isRetarusInbound(body: Record<string, unknown>): boolean {
  return 'smsId' in body && 'src' in body && 'dst' in body;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  // Every value stays a string ("+49…", a cuNo with leading zeros) and the text is not trimmed.
  parseTagValue: false,
  trimValues: false,
  // Also decodes numeric character references (&#x1F600;), which plain XML entity handling leaves.
  htmlEntities: true,
});

/** The fields of the first element that carries them: the root, or one wrapper level below it. */
export function readRetarusInboundXml(xml: string): Record<string, unknown> {
  // No DOCTYPE or entities, no prototype names, bounded depth: checked before any parser sees it.
  const tooMuch = xmlLimitProblem(xml);
  if (tooMuch) throw new WebhookParseError(tooMuch);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { line, col } = valid.err;
    throw new WebhookParseError(`the body is not well-formed XML (line ${line}, column ${col})`);
  }
  let document: Record<string, unknown>;
  try {
    document = parser.parse(xml) as Record<string, unknown>;
  } catch {
    // The parser's own words name its internals; ours say what is wrong with the body.
    throw new WebhookParseError('the body is XML this bot cannot read');
  }
  const roots = Object.entries(document).filter(([name]) => name !== '#text');
  const [root] = roots;
  if (roots.length !== 1 || !root)
    throw new WebhookParseError('the XML body must have exactly one root element');
  const element = asElement(root[1]);
  if (element && isRetarusInbound(element)) return element;
  const wrapped = Object.values(element ?? {})
    .map(asElement)
    .filter((child): child is Record<string, unknown> => !!child && isRetarusInbound(child));
  if (wrapped.length === 1 && wrapped[0]) return wrapped[0];
  throw new WebhookParseError(
    `the XML element <${root[0]}> is not an inbound SMS: <smsId>, <src> and <dst> are required`,
  );
}

/** An element's children; `#text` is the indentation between them (values are not trimmed). */
function asElement(value: unknown): Record<string, unknown> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { '#text': _indentation, ...children } = value as Record<string, unknown>;
  return children;
}

/** Reads the fields (from XML or JSON) into an InboundMessage; the error names the field. */
export function toRetarusInbound(
  fields: Record<string, unknown>,
  raw: unknown,
  now: () => Date,
): InboundMessage {
  for (const name of FIELDS) {
    if (Array.isArray(fields[name]))
      throw new WebhookParseError(`"${name}" must appear once in an inbound SMS`);
  }
  // An empty <text/> element parses as "", but a missing one is an error: the push always has it.
  const sms = checkPayload(inboundSchema, fields, 'an inbound SMS');
  return {
    kind: 'inbound',
    provider: 'retarus',
    providerMessageId: sms.smsId,
    from: sms.src,
    to: sms.dst,
    channel: 'sms',
    text: sms.text,
    media: [],
    receivedAt: isoTime(sms.storeTs, now),
    raw,
  };
}
