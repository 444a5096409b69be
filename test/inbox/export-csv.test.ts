import { describe, expect, it } from 'vitest';
import { conversationCsv, csvFileName } from '../../bot/inbox/export-csv.ts';
import type { Thread } from '../../bot/store/types.ts';

const THREAD: Thread = {
  id: 't1',
  provider: 'sinch',
  businessNumber: '+61491570000',
  customerNumber: '+61491570156',
  channel: 'sms',
  state: 'open',
  optedOut: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('conversation CSV', () => {
  it('quotes what needs quoting and defuses formulas, keeping phone numbers', () => {
    const csv = conversationCsv(THREAD, [
      { id: '1', kind: 'inbound', text: '=HYPERLINK("http://x")', at: '2026-01-01T10:00:00.000Z' },
      {
        id: '2',
        kind: 'outbound',
        text: 'Line one\nline "two", done',
        at: '2026-01-01T10:01:00.000Z',
        author: '@ops',
        status: 'failed',
        reason: 'unreachable',
      },
      { id: '3', kind: 'note', text: '-5 points', at: '2026-01-01T10:02:00.000Z', author: 'Megan' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'time,kind,from,to,author,status,reason,text',
      `2026-01-01T10:00:00.000Z,inbound,+61491570156,+61491570000,,,,"'=HYPERLINK(""http://x"")"`,
      `2026-01-01T10:01:00.000Z,outbound,+61491570000,+61491570156,'@ops,failed,unreachable,"Line one\nline ""two"", done"`,
      "2026-01-01T10:02:00.000Z,note,,,Megan,,,'-5 points",
      '',
    ]);
  });

  it('names the file after the customer and the day', () => {
    expect(csvFileName(THREAD, new Date('2026-03-04T05:06:07Z'))).toBe(
      'conversation-+61491570156-2026-03-04.csv',
    );
  });
});
