import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../adapters/types.ts';
import { isOptOutText, markOptOuts } from '../../bot/opt-out.ts';

describe('opt-out keywords', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'Cancel!', 'END', 'quit'])(
    '"%s" opts out',
    (text) => {
      expect(isOptOutText(text)).toBe(true);
    },
  );

  it.each(['Please stop calling me', 'stopp', 'Don’t stop', 'END OF MESSAGE', '', 'cancel my order'])(
    '"%s" does not',
    (text) => {
      expect(isOptOutText(text)).toBe(false);
    },
  );

  it('marks only inbound keyword messages', () => {
    const inbound = (text: string): InboundMessage => ({
      kind: 'inbound',
      provider: 'sinch',
      providerMessageId: text,
      from: '+61491570156',
      to: '+61491570000',
      channel: 'sms',
      text,
      media: [],
      receivedAt: '2026-11-23T10:00:00.000Z',
      raw: {},
    });
    const marked = markOptOuts([inbound('STOP'), inbound('Hello')]);
    expect(marked.map((e) => e.kind === 'inbound' && e.optOut === true)).toEqual([true, false]);
  });
});
