import { describe, expect, it } from 'vitest';
import type { Provider } from '../../adapters/types.ts';
import { replyChannel } from '../../bot/reply-channel.ts';
import { textProblem } from '../../bot/text-fit.ts';

const limits = (id: Provider['id'], textLimits: Provider['textLimits']) => ({ id, textLimits });
const RETARUS = limits('retarus', {
  sms: { maxSegments: 20, source: 'Retarus sends at most 20 SMS parts a message' },
});
const SINCH = limits('sinch', {
  sms: { maxChars: 5000, source: 'Sinch takes at most 5,000 characters a message' },
});
const RCS = limits('sinch-conversation', {
  rcs: { maxChars: 3072, source: 'RCS takes at most 3,072 characters' },
});

describe('textProblem: every limit at and over its edge', () => {
  it('Retarus: 20 GSM-7 parts (3,060 characters) fit, one more character does not', () => {
    expect(textProblem(RETARUS, 'sms', 'a'.repeat(3060))).toBeUndefined();
    expect(textProblem(RETARUS, 'sms', 'a'.repeat(3061))).toBe(
      'Retarus sends at most 20 SMS parts a message; this one needs 21. Shorten it or send it as two messages',
    );
  });

  it('Retarus: 20 UCS-2 parts (1,340 characters) fit, 1,341 do not, and the reason says why', () => {
    expect(textProblem(RETARUS, 'sms', 'ä€ж'.repeat(446) + 'жж')).toBeUndefined();
    expect(textProblem(RETARUS, 'sms', 'ж'.repeat(1341))).toContain('outside GSM-7');
  });

  it('Sinch: 5,000 characters fit, 5,001 do not', () => {
    expect(textProblem(SINCH, 'sms', 'a'.repeat(5000))).toBeUndefined();
    expect(textProblem(SINCH, 'sms', 'a'.repeat(5001))).toContain('this one has 5,001');
  });

  it('RCS: 3,072 characters fit, 3,073 do not; emoji count as one character', () => {
    expect(textProblem(RCS, 'rcs', '😀'.repeat(3072))).toBeUndefined();
    expect(textProblem(RCS, 'rcs', 'a'.repeat(3073))).toContain('3,073');
  });

  it('names a channel the provider does not send on', () => {
    expect(textProblem(SINCH, 'whatsapp', 'hi')).toBe('sinch does not send WhatsApp messages');
  });
});

describe('replyChannel', () => {
  it('answers an MMS thread by SMS unless media is attached, and keeps RCS and WhatsApp', () => {
    expect(replyChannel('mms')).toBe('sms');
    expect(replyChannel('mms', true)).toBe('mms');
    expect(replyChannel('sms')).toBe('sms');
    expect(replyChannel('rcs')).toBe('rcs');
    expect(replyChannel('whatsapp')).toBe('whatsapp');
  });
});
