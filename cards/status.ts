import { PROVIDER_LABELS, STATUS_BADGES } from './labels.ts';
import { compileTemplate } from './template.ts';
import { cardTime, clipMessage, clipShort, type Fact, plural } from './text.ts';
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
}

/** Most timeline rows shown; older ones are summed up in one row. */
export const MAX_STATUS_TIMELINE_ROWS = 20;

const expand = compileTemplate(new URL('./templates/status.json', import.meta.url));

/** The answer to `status <message-id>`: where a message is, with every status change. */
export function renderStatusCard(data: StatusCardData): AdaptiveCard {
  const badge = STATUS_BADGES[data.status];
  const provider = PROVIDER_LABELS[data.provider];
  const outbound = data.direction === 'outbound';
  const customer = clipShort(data.customer);
  const business = clipShort(data.business);
  const reason = clipShort(data.reason?.trim() ?? '', 300);
  const facts: Fact[] = [
    { title: 'Message id', value: clipShort(data.messageId) },
    ...(data.providerMessageId
      ? [{ title: `${provider} id`, value: clipShort(data.providerMessageId) }]
      : []),
    { title: 'Provider', value: provider },
    { title: 'Direction', value: outbound ? 'Outbound (to the customer)' : 'Inbound (from the customer)' },
    { title: 'From', value: outbound ? business : customer },
    { title: 'To', value: outbound ? customer : business },
  ];
  return expand({
    summary: `${outbound ? 'Outbound' : 'Inbound'} · ${provider}`,
    statusLabel: badge.label,
    statusStyle: badge.style,
    statusColor: badge.color,
    hasReason: reason !== '',
    reason,
    facts,
    ...clipMessage(data.text || '(no text)'),
    timeline: timelineRows(data.timeline),
  });
}

function timelineRows(timeline: readonly StatusTimelineEntry[]): Array<{ label: string; detail: string }> {
  const shown = timeline.slice(-MAX_STATUS_TIMELINE_ROWS);
  const rows = shown.map((entry) => ({
    label: STATUS_BADGES[entry.status].label,
    detail: timelineDetail(entry),
  }));
  const earlier = timeline.length - shown.length;
  if (earlier > 0) rows.unshift({ label: '…', detail: `${plural(earlier, 'earlier update')} not shown` });
  return rows;
}

function timelineDetail(entry: StatusTimelineEntry): string {
  const vendor = entry.vendorStatus?.trim() ? clipShort(entry.vendorStatus.trim(), 40) : '';
  const code =
    entry.code === undefined || String(entry.code).trim() === '' ? '' : clipShort(String(entry.code), 20);
  const parts = [cardTime(entry.at), vendor, code && `code ${code}`].filter((part) => part !== '');
  return parts.join(' · ');
}
