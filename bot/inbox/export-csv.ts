/**
 * "Export CSV" of one conversation (RFC 4180: CRLF, quotes doubled). A cell that a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe (OWASP "CSV injection"):
 * customers choose what they text. Phone numbers (+ and digits only) stay as they are.
 */
import type { Thread } from '../store/types.ts';
import type { TranscriptEntry } from './wire.ts';

const HEADER = ['time', 'kind', 'from', 'to', 'author', 'status', 'reason', 'text'];

function cell(value: string | undefined): string {
  let v = value ?? '';
  if (/^[=+\-@\t\r]/.test(v) && !/^\+\d+$/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function conversationCsv(thread: Thread, entries: readonly TranscriptEntry[]): string {
  const rows = entries.map((e) => {
    const inbound = e.kind === 'inbound';
    return [
      e.at,
      e.kind,
      inbound ? thread.customerNumber : e.kind === 'outbound' ? thread.businessNumber : '',
      inbound ? thread.businessNumber : e.kind === 'outbound' ? thread.customerNumber : '',
      e.author,
      e.status,
      e.reason,
      e.text,
    ];
  });
  return [HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A file name for the download: the customer's number and the day. */
export function csvFileName(thread: Thread, now = new Date()): string {
  const number = thread.customerNumber.replace(/[^\w+]/g, '');
  return `conversation-${number}-${now.toISOString().slice(0, 10)}.csv`;
}
