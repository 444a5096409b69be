/**
 * Sinch webhook bodies follow the template the subscriber registered (providers README §1.4), so
 * two spellings reach us: the documented default payloads (`source_number`, `error_code`,
 * `metadata` as an object, `attachments[].content`) and the field names of the Power Platform
 * connector's triggers (seeds/000: `source_address`, `destination_address`, `status_code`,
 * `metadata` as `[{metadata_key, metadata_value}]`, `attachments[].attachment_content`,
 * `contact_message.text_message.text`, `type`). This rewrites the connector's names to the
 * default ones; a default name already present wins.
 */

type Body = Record<string, unknown>;

/** Connector name → default name, for plain values. */
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  // [I] On a delivery report the connector's source_address is read like the default
  // source_number (the handset the message went to); it is only shown, never matched on.
  ['source_address', 'source_number'],
  ['destination_address', 'destination_number'],
  ['status_code', 'error_code'],
  // `$type` is the deprecated name of `$format` in the webhook template variables.
  ['type', 'format'],
];

export function toDefaultFields(body: Body): Body {
  const out: Body = { ...body };
  for (const [from, to] of RENAMED) {
    if (out[to] === undefined && out[from] !== undefined) out[to] = out[from];
  }
  if (Array.isArray(out['metadata'])) out['metadata'] = metadataObject(out['metadata']);
  if (Array.isArray(out['attachments'])) out['attachments'] = out['attachments'].map(defaultAttachment);
  const v2Text = contactMessageText(out['contact_message']);
  if (v2Text !== undefined && (out['content'] === undefined || out['content'] === '')) {
    out['content'] = v2Text;
  }
  // [I] The "V2" content is the Conversation API's shape, which Sinch uses for RCS; a body that
  // carries it and names no format is taken for RCS (the connector's wording is NOT FOUND).
  if (out['contact_message'] && out['format'] === undefined) out['format'] = 'RCS';
  return out;
}

/** `[{metadata_key, metadata_value}]` (also `{key, value}`) → `{key: value}`; other items are dropped. */
function metadataObject(pairs: unknown[]): Body {
  const out: Body = {};
  for (const pair of pairs) {
    if (!pair || typeof pair !== 'object') continue;
    const p = pair as Body;
    const key = p['metadata_key'] ?? p['key'];
    if (typeof key === 'string' && key !== '') out[key] = p['metadata_value'] ?? p['value'];
  }
  return out;
}

function defaultAttachment(item: unknown): unknown {
  if (!item || typeof item !== 'object') return item;
  const a = item as Body;
  return {
    content_type: a['content_type'] ?? a['attachment_type'],
    content: a['content'] ?? a['attachment_content'],
    original_name: a['original_name'] ?? a['attachment_name'],
  };
}

/** "Contenu du message V2 - texte": the Conversation API's shape inside the Engage payload. */
function contactMessageText(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const text = (value as { text_message?: { text?: unknown } }).text_message?.text;
  return typeof text === 'string' ? text : undefined;
}
