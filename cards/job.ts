import { fitRows } from './fit.ts';
import { STATUS_LOOK, statusMark } from './labels.ts';
import { compileTemplate } from './template.ts';
import { clipShort, type Fact, formatCount, plural } from './text.ts';
import { cardTime } from './time.ts';
import type { AdaptiveCard, CardStatus } from './types.ts';

export interface JobRecipient {
  /** Recipient number, already formatted for display. */
  to: string;
  status: CardStatus;
  /** Retarus's own status, such as `DONE / SUC_FIN`. */
  vendorStatus: string;
  reason?: string;
  /** ISO-8601. */
  finishedAt?: string;
}

export interface JobCardData {
  jobId: string;
  /** The `src` sender id. */
  sender?: string;
  /** As Retarus reports it: standard or utf-16. */
  encoding?: string;
  /** ISO-8601. */
  receivedAt?: string;
  /** ISO-8601; absent while the job is open. */
  finishedAt?: string;
  recipients: JobRecipient[];
}

/** Most recipients listed; fewer when more would not fit the card. */
export const MAX_JOB_RECIPIENTS = 50;

/** Order of recipients on the card: failures, then pending ones, then delivered ones. */
const RANK: Readonly<Record<CardStatus, number>> = {
  failed: 0,
  expired: 0,
  rejected: 0,
  cancelled: 1,
  unknown: 2,
  unconfirmed: 2,
  queued: 2,
  sent: 2,
  delivered: 3,
  read: 3,
};

const expand = compileTemplate(new URL('./templates/job.json', import.meta.url));

/**
 * The answer to `job <job-id>`: a Retarus job and what became of each recipient, those that did
 * not get the message first.
 */
export function renderJobCard(data: JobCardData): AdaptiveCard {
  const open = !data.finishedAt;
  const facts: Fact[] = [
    { title: 'Sender', value: data.sender ? clipShort(data.sender, 40) : 'Account default' },
    { title: 'Encoding', value: data.encoding ? clipShort(data.encoding, 40) : 'Not reported' },
    { title: 'Received', value: data.receivedAt ? cardTime(data.receivedAt) : 'Not reported' },
    { title: 'Finished', value: data.finishedAt ? cardTime(data.finishedAt) : 'Open: not finished yet' },
  ];
  // Problems first, so that a cut list never hides a failure behind delivered recipients.
  const recipients = [...data.recipients].sort((a, b) => RANK[a.status] - RANK[b.status]);
  const summary = recipientSummary(recipients);
  return fitRows(recipients, MAX_JOB_RECIPIENTS, (shown, hidden) =>
    expand({
      jobId: clipShort(data.jobId),
      stateLabel: open ? '● Open' : '● Finished',
      stateColor: open ? 'Accent' : 'Good',
      facts,
      summary,
      recipients: shown.map(recipientRow),
      more: hidden > 0 ? `…and ${plural(hidden, 'more recipient')}.` : '',
    }),
  );
}

function recipientRow(recipient: JobRecipient) {
  const mark = statusMark(recipient.status);
  return {
    to: clipShort(recipient.to, 40),
    label: mark.text,
    color: mark.color,
    vendorStatus: clipShort(recipient.vendorStatus.trim() || '–', 40),
    reason: clipShort(recipient.reason?.trim() ?? '', 120),
    finishedAt: recipient.finishedAt ? cardTime(recipient.finishedAt) : 'Open',
  };
}

/** "3 recipients: 1 Failed, 2 Delivered", statuses in order of first appearance. */
function recipientSummary(recipients: readonly JobRecipient[]): string {
  if (recipients.length === 0) return 'No recipients reported yet.';
  const counts = new Map<string, number>();
  for (const { status } of recipients) {
    const label = STATUS_LOOK[status].label;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, count]) => `${formatCount(count)} ${label}`);
  return `${plural(recipients.length, 'recipient')}: ${parts.join(', ')}`;
}
