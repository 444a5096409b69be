import { describe, expect, it } from 'vitest';
import { dlrUrlFor } from '../../../adapters/smartdialog/dlr-url.ts';
import { lowerKeys, optional } from '../../../adapters/smartdialog/wire.ts';

describe('lowerKeys', () => {
  it('lower-cases keys at every depth and leaves values alone', () => {
    expect(lowerKeys({ MessageId: 'A', Recipients: [{ Address: '+358', Id: 'X' }], n: null })).toEqual({
      messageid: 'A',
      recipients: [{ address: '+358', id: 'X' }],
      n: null,
    });
  });

  it('keeps the first of two spellings', () => {
    expect(lowerKeys({ MessageId: 'first', messageId: 'second' })).toEqual({ messageid: 'first' });
  });

  it('passes scalars and arrays of scalars through', () => {
    expect(lowerKeys('text')).toBe('text');
    expect(lowerKeys(['A', 1])).toEqual(['A', 1]);
    expect(lowerKeys(undefined)).toBeUndefined();
  });
});

describe('optional', () => {
  it('leaves out undefined but keeps false and empty strings', () => {
    expect({ ...optional('A', undefined), ...optional('B', false), ...optional('C', '') }).toEqual({
      B: false,
      C: '',
    });
  });
});

describe('dlrUrlFor', () => {
  it.each([
    [
      'https://bot.example/webhooks/smartdialog',
      'https://bot.example/webhooks/smartdialog?tb_message_id=m-1',
    ],
    [
      'https://bot.example/webhooks/smartdialog?secret=a%2Bb~c',
      'https://bot.example/webhooks/smartdialog?secret=a%2Bb~c&tb_message_id=m-1',
    ],
    ['https://bot.example/dlr?', 'https://bot.example/dlr?tb_message_id=m-1'],
    ['https://bot.example/dlr?a=1&', 'https://bot.example/dlr?a=1&tb_message_id=m-1'],
    ['https://bot.example/dlr?a=1#top', 'https://bot.example/dlr?a=1&tb_message_id=m-1#top'],
  ])('appends to %s without touching its query', (url, expected) => {
    expect(dlrUrlFor(url, 'm-1')).toBe(expected);
  });

  it('encodes the correlation id', () => {
    expect(dlrUrlFor('https://h/d', 'a b&c')).toBe('https://h/d?tb_message_id=a%20b%26c');
  });
});
