import { executeAction } from './actions.ts';
import { CHANNEL_LABELS, PROVIDER_LABELS, STATUS_LOOK, statusMark } from './labels.ts';
import { shortMessageId } from './message-id.ts';
import { describeSegments } from './segments.ts';
import { compileTemplate } from './template.ts';
import { clipMessage, clipShort, plural } from './text.ts';
import { sequenceTimes } from './time.ts';
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
export const RETRYABLE_STATUSES: readonly CardStatus[] = ['failed', 'expired', 'rejected', 'unconfirmed'];

/** Most timeline rows shown; older ones are summed up in one row. */
export const MAX_TIMELINE_ROWS = 20;

const expand = compileTemplate(new URL('./templates/outbound-message.json', import.meta.url));

/**
 * An agent's message to the customer, re-rendered on every receipt: the words first, then one
 * line of who, where and which message (its short id is what `status` takes), then the status.
 */
export function renderOutboundMessageCard(data: OutboundMessageCardData): AdaptiveCard {
  const mark = statusMark(data.status);
  const reason = clipShort(data.reason?.trim() ?? '', 300);
  const retriedAs = data.retriedAs?.trim() ? shortMessageId(data.retriedAs.trim()) : '';
  const messageId = data.messageId;
  const canRetry = messageId !== undefined && retriedAs === '' && RETRYABLE_STATUSES.includes(data.status);
  const meta = [
    data.to ? `${clipShort(data.agent)} → ${clipShort(data.to)}` : clipShort(data.agent),
    `${CHANNEL_LABELS[data.channel]} via ${PROVIDER_LABELS[data.provider]}`,
    // Segments are an SMS billing unit; RCS and WhatsApp messages are not split.
    data.channel === 'sms' ? describeSegments(data.text) : '',
    messageId ? `ID ${shortMessageId(messageId)}` : '',
  ];
  return expand({
    ...clipMessage(data.text),
    meta: meta.filter((part) => part !== '').join(' · '),
    status: reason ? `${mark.text}: ${reason}` : mark.text,
    statusColor: mark.color,
    hasNote: (data.note?.trim() ?? '') !== '',
    note: clipShort(data.note?.trim() ?? '', 300),
    retried: retriedAs !== '',
    retriedAs,
    timeline: timelineLine(data.timeline ?? []),
    actions: canRetry ? [executeAction('Retry', 'retry', { messageId })] : [],
  });
}

/** "Queued today 10:20:11 · Sent 10:20:13 · Delivered 10:20:58": one line, not a table. */
function timelineLine(timeline: readonly TimelineEntry[]): string {
  const shown = timeline.slice(-MAX_TIMELINE_ROWS);
  const times = sequenceTimes(shown.map((entry) => entry.at));
  const steps = shown.map((entry, i) => {
    const label = entry.note
      ? clipShort(entry.note.split(':')[0] ?? entry.note, 40)
      : STATUS_LOOK[entry.status].label;
    return `${label} ${times[i]}`;
  });
  const earlier = timeline.length - shown.length;
  if (earlier > 0) steps.unshift(`${plural(earlier, 'earlier update')} not shown`);
  return steps.join(' · ');
}
