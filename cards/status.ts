import { PROVIDER_LABELS, STATUS_LOOK, statusMark } from './labels.ts';
import { shortMessageId } from './message-id.ts';
import { compileTemplate } from './template.ts';
import { clipMessage, clipShort, plural } from './text.ts';
import { sequenceTimes } from './time.ts';
import type { AdaptiveCard, CardProvider, CardStatus } from './types.ts';

export interface StatusTimelineEntry {
  status: CardStatus;
  /** ISO-8601. */
  at: string;
  /** The provider's own word for the status, such as DELIVRD or SUC_FIN. */
  vendorStatus?: string;
  /** The provider's status or error code. */
  code?: string | number;
}

export interface StatusCardData {
  /** Our id of the message. */
  messageId: string;
  provider: CardProvider;
  direction: 'inbound' | 'outbound';
  /** Customer number, already formatted for display. */
  customer: string;
  /** The business number or sender id. */
  business: string;
  text: string;
  status: CardStatus;
  /** The provider's failure reason in plain words. */
  reason?: string;
  /** Status changes, oldest first. */
  timeline: StatusTimelineEntry[];
  /** The provider's id of the message. */
  providerMessageId?: string;
  /**
   * False for a message the bot did not send (found at a provider by its id): the card then
   * shows the id as given, not our short form.
   */
  known?: boolean;
}

/** Most timeline rows shown; older ones are summed up in one row. */
export const MAX_STATUS_TIMELINE_ROWS = 20;

const expand = compileTemplate(new URL('./templates/status.json', import.meta.url));

/** The answer to `status <message-id>`: where a message is, with every status change. */
export function renderStatusCard(data: StatusCardData): AdaptiveCard {
  const mark = statusMark(data.status);
  const provider = PROVIDER_LABELS[data.provider];
  const outbound = data.direction === 'outbound';
  const customer = clipShort(data.customer);
  const business = clipShort(data.business);
  const reason = clipShort(data.reason?.trim() ?? '', 300);
  const [from, to] = outbound ? [business, customer] : [customer, business];
  const meta = [
    outbound ? 'To the customer' : 'From the customer',
    from && to ? `${from} → ${to}` : '',
    provider,
    data.providerMessageId ? `${provider} id ${clipShort(data.providerMessageId)}` : '',
  ];
  return expand({
    title: `Message ${clipShort(data.known === false ? data.messageId : shortMessageId(data.messageId))}`,
    ...clipMessage(data.text || '(no text)'),
    meta: meta.filter((part) => part !== '').join(' · '),
    status: reason ? `${mark.text}: ${reason}` : mark.text,
    statusColor: mark.color,
    timeline: timelineRows(data.timeline),
  });
}

function timelineRows(timeline: readonly StatusTimelineEntry[]): Array<{ label: string; detail: string }> {
  const shown = timeline.slice(-MAX_STATUS_TIMELINE_ROWS);
  const times = sequenceTimes(shown.map((entry) => entry.at));
  const rows = shown.map((entry, i) => ({
    label: STATUS_LOOK[entry.status].label,
    detail: timelineDetail(entry, times[i] ?? ''),
  }));
  const earlier = timeline.length - shown.length;
  if (earlier > 0) rows.unshift({ label: '…', detail: `${plural(earlier, 'earlier update')} not shown` });
  return rows;
}

function timelineDetail(entry: StatusTimelineEntry, time: string): string {
  const vendor = entry.vendorStatus?.trim() ? clipShort(entry.vendorStatus.trim(), 40) : '';
  const code =
    entry.code === undefined || String(entry.code).trim() === '' ? '' : clipShort(String(entry.code), 20);
  const parts = [time, vendor, code && `code ${code}`].filter((part) => part !== '');
  return parts.join(' · ');
}
