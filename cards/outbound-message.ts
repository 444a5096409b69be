import { executeAction } from './actions.ts';
import { CHANNEL_LABELS, PROVIDER_LABELS, STATUS_BADGES } from './labels.ts';
import { describeSegments } from './segments.ts';
import { compileTemplate } from './template.ts';
import { cardTime, clipMessage, clipShort, plural } from './text.ts';
import type { AdaptiveCard, CardChannel, CardProvider, CardStatus } from './types.ts';

export interface TimelineEntry {
  status: CardStatus;
  /** ISO-8601. */
  at: string;
  /** Shown instead of the status label: "Fell back to SMS". */
  note?: string;
}

export interface OutboundMessageCardData {
  /** Display name of the agent who wrote the message. */
  agent: string;
  text: string;
  channel: CardChannel;
  provider: CardProvider;
  /** Customer number, already formatted for display. */
  to?: string;
  status: CardStatus;
  /** The provider's failure reason in plain words. */
  reason?: string;
  /** Something that happened on the way, not a failure: "Fell back to SMS: …". */
  note?: string;
  /** Status changes, oldest first. */
  timeline?: TimelineEntry[];
  /** The message's id in the store; with it a failed, expired or rejected message gets a Retry button. */
  messageId?: string;
  /** Id of the message that retried this one; the card then says so instead of offering Retry. */
  retriedAs?: string;
}

/** Statuses after which an agent may send the same text again. */
export const RETRYABLE_STATUSES: readonly CardStatus[] = ['failed', 'expired', 'rejected'];

/** Most timeline rows shown; older ones are summed up in one row. */
export const MAX_TIMELINE_ROWS = 20;

const expand = compileTemplate(new URL('./templates/outbound-message.json', import.meta.url));

/** An agent's message to the customer, with its delivery status; re-rendered on every receipt. */
export function renderOutboundMessageCard(data: OutboundMessageCardData): AdaptiveCard {
  const badge = STATUS_BADGES[data.status];
  const via = `${CHANNEL_LABELS[data.channel]} via ${PROVIDER_LABELS[data.provider]}`;
  const reason = clipShort(data.reason?.trim() ?? '', 300);
  const retriedAs = data.retriedAs?.trim() ? clipShort(data.retriedAs.trim(), 60) : '';
  const messageId = data.messageId;
  const canRetry = messageId !== undefined && retriedAs === '' && RETRYABLE_STATUSES.includes(data.status);
  return expand({
    agent: clipShort(data.agent),
    route: data.to ? `To ${clipShort(data.to)} · ${via}` : via,
    statusLabel: badge.label,
    statusStyle: badge.style,
    statusColor: badge.color,
    ...clipMessage(data.text),
    hasNote: (data.note?.trim() ?? '') !== '',
    note: clipShort(data.note?.trim() ?? '', 300),
    hasReason: reason !== '',
    reason,
    // Segments are an SMS billing unit; RCS and WhatsApp messages are not split.
    showSegments: data.channel === 'sms',
    segmentsLabel: describeSegments(data.text),
    timeline: timelineRows(data.timeline ?? []),
    retried: retriedAs !== '',
    retriedAs,
    actions: canRetry ? [executeAction('Retry', 'retry', { messageId })] : [],
  });
}

function timelineRows(timeline: readonly TimelineEntry[]): Array<{ label: string; time: string }> {
  const shown = timeline.slice(-MAX_TIMELINE_ROWS);
  const rows = shown.map((entry) => ({
    label: entry.note
      ? clipShort(entry.note.split(':')[0] ?? entry.note, 40)
      : STATUS_BADGES[entry.status].label,
    time: cardTime(entry.at),
  }));
  const earlier = timeline.length - shown.length;
  if (earlier > 0) rows.unshift({ label: '…', time: `${plural(earlier, 'earlier update')} not shown` });
  return rows;
}
