/**
 * Sender ids of the account. The connector's own "Get sender IDs" endpoint is not published
 * (README §1.0), so this asks the two public ones: approved sender addresses (alpha tags and own
 * numbers) and assigned dedicated numbers.
 */
import { z } from 'zod';
import type { SenderId } from '../types.ts';
import { call, type SinchClientConfig } from './api.ts';

const MAX_PAGES = 10;

const addresses = z
  .object({
    data: z
      .array(
        z
          .object({
            sender_address: z.string(),
            sender_address_type: z.string().nullish(),
            usage_type: z.string().nullish(),
            label: z.string().nullish(),
            display_status: z.string().nullish(),
          })
          .passthrough(),
      )
      .nullish(),
    pagination: z.object({ next_token: z.string().nullish() }).passthrough().nullish(),
  })
  .passthrough();

const assignments = z
  .object({
    data: z
      .array(
        z
          .object({
            assignment: z.object({ label: z.string().nullish() }).passthrough().nullish(),
            number: z
              .object({ phone_number: z.string(), capabilities: z.array(z.string()).nullish() })
              .passthrough(),
          })
          .passthrough(),
      )
      .nullish(),
    pagination: z.object({ next_token: z.string().nullish() }).passthrough().nullish(),
  })
  .passthrough();

async function pages<T extends { pagination?: { next_token?: string | null } | null }>(
  config: SinchClientConfig,
  path: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const query = new URLSearchParams({ page_size: '100', ...(token ? { token } : {}) });
    const parsed = schema.parse(await call(config, 'GET', `${path}?${query}`));
    out.push(parsed);
    token = parsed.pagination?.next_token ?? undefined;
    if (!token) break;
  }
  return out;
}

export async function listSinchSenders(config: SinchClientConfig): Promise<SenderId[]> {
  const [approved, dedicated] = await Promise.all([
    pages(config, '/v1/messaging/numbers/sender_address/addresses', addresses),
    pages(config, '/v1/messaging/numbers/dedicated/assignments', assignments),
  ]);
  const senders = new Map<string, SenderId>();
  for (const item of approved.flatMap((p) => p.data ?? [])) {
    if (item.display_status === 'EXPIRED') continue;
    const type = item.sender_address_type;
    senders.set(item.sender_address, {
      id: item.sender_address,
      ...(item.label ? { label: item.label } : {}),
      kind: type === 'ALPHANUMERIC' ? 'alphanumeric' : type === 'SHORT_CODE' ? 'shortcode' : 'number',
    });
  }
  for (const item of dedicated.flatMap((p) => p.data ?? [])) {
    // Dedicated numbers come without the leading + (e.g. "61436489205").
    const id = item.number.phone_number.startsWith('+')
      ? item.number.phone_number
      : `+${item.number.phone_number}`;
    senders.set(id, {
      id,
      kind: 'number',
      ...(item.assignment?.label ? { label: item.assignment.label } : {}),
      ...(item.number.capabilities ? { capabilities: item.number.capabilities } : {}),
    });
  }
  const list = [...senders.values()];
  if (config.sourceNumber) {
    const known = list.find((s) => s.id === config.sourceNumber);
    if (known) known.isDefault = true;
    else
      list.unshift({
        id: config.sourceNumber,
        isDefault: true,
        label: 'configured default (SINCH_SOURCE_NUMBER)',
      });
  }
  return list;
}
