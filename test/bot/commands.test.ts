import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../bot/commands/dispatch.ts';
import { parseBusinessNumber, parseProvider } from '../../bot/commands/provider-arg.ts';
import { decodeTextRequest, encodeTextRequest, type TextBatch } from '../../bot/commands/text-request.ts';
import { UsageError } from '../../bot/commands/types.ts';

/** The UsageError `fn` throws. */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('splitCommand', () => {
  it('takes the name and the words after it, with or without a slash', () => {
    expect(splitCommand('/link sinch +61491570000')).toMatchObject({
      name: 'link',
      args: ['sinch', '+61491570000'],
    });
    expect(splitCommand('link sinch +61491570000')).toMatchObject({
      name: 'link',
      args: ['sinch', '+61491570000'],
    });
  });

  it('lower-cases the name but not the arguments', () => {
    expect(splitCommand('LINK Sinch ACME')).toMatchObject({ name: 'link', args: ['Sinch', 'ACME'] });
    expect(splitCommand('LINK')).toMatchObject({ name: 'link', args: [] });
  });

  it('ignores extra spaces, tabs and line breaks', () => {
    expect(splitCommand('   /link    sinch \t  +61491570000 \n')).toMatchObject({
      name: 'link',
      args: ['sinch', '+61491570000'],
    });
  });

  it('gives an empty name for an empty message', () => {
    expect(splitCommand('')).toEqual({ name: '', args: [], rest: '' });
    expect(splitCommand('   ')).toEqual({ name: '', args: [], rest: '' });
    expect(splitCommand('/')).toEqual({ name: '', args: [], rest: '' });
  });

  it('keeps the text after the name as typed, line breaks included', () => {
    expect(splitCommand('text +61491570156 Hello,\n  see you  soon').rest).toBe(
      '+61491570156 Hello,\n  see you  soon',
    );
  });

  it('removes only one leading slash', () => {
    expect(splitCommand('//links').name).toBe('/links');
    expect(splitCommand('links/all').name).toBe('links/all');
  });
});

describe('parseProvider', () => {
  it('accepts each provider in any case', () => {
    expect(parseProvider('sinch', false)).toBe('sinch');
    expect(parseProvider('Retarus', false)).toBe('retarus');
    expect(parseProvider('SMARTDIALOG', true)).toBe('smartdialog');
  });

  it("accepts 'all' only where it is allowed", () => {
    expect(parseProvider('all', true)).toBe('*');
    expect(parseProvider('ALL', true)).toBe('*');
    const error = usageError(() => parseProvider('all', false));
    expect(error.message).toBe(
      '"all" is not a provider. Choose one of: sinch, sinch-conversation, retarus, smartdialog, sandbox.',
    );
  });

  it('lists the choices for an unknown provider', () => {
    const error = usageError(() => parseProvider('twilio', true));
    expect(error.message).toContain('"twilio" is not a provider');
    expect(error.message).toContain('sinch, sinch-conversation, retarus, smartdialog, sandbox, all');
  });

  it('asks for a provider when none is given', () => {
    expect(usageError(() => parseProvider(undefined, true)).message).toBe(
      'Name a provider: sinch, sinch-conversation, retarus, smartdialog, sandbox, all.',
    );
    expect(usageError(() => parseProvider('', false)).message).toBe(
      'Name a provider: sinch, sinch-conversation, retarus, smartdialog, sandbox.',
    );
  });
});

describe('parseBusinessNumber', () => {
  it.each([
    ['+61491570156', '+61491570156'],
    ['+61 491 570 156', '+61491570156'],
    ['+61-491-570-156', '+61491570156'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['0061491570156', '+61491570156'],
    ['00 44 7700 900123', '+447700900123'],
  ])('normalises %s to %s', (word, expected) => {
    expect(parseBusinessNumber(word)).toBe(expected);
  });

  it('means every number when none is given', () => {
    expect(parseBusinessNumber(undefined)).toBe('*');
    expect(parseBusinessNumber('')).toBe('*');
    expect(parseBusinessNumber('*')).toBe('*');
  });

  it.each(['12345', '466453', '123'])('accepts the short code %s', (code) => {
    expect(parseBusinessNumber(code)).toBe(code);
  });

  it.each(['ACME', 'Textbridge', 'MyShop2025'])('accepts the alphanumeric sender id %s', (sender) => {
    expect(parseBusinessNumber(sender)).toBe(sender);
  });

  it.each(['+12', '+999 1234', '0012', '+61 4915701561234567'])(
    'refuses the impossible number %s',
    (word) => {
      const error = usageError(() => parseBusinessNumber(word));
      expect(error.message).toBe(`"${word}" is not a valid phone number. Write it as +61491570156.`);
    },
  );

  it.each(['hello!', 'ThisSenderIsTooLong', 'a_b', 'ab@cd'])(
    'refuses %s and says what it accepts',
    (word) => {
      const error = usageError(() => parseBusinessNumber(word));
      expect(error.message).toContain(`"${word}"`);
      expect(error.message).toContain('international format (+61491570156)');
      expect(error.message).toContain('short code');
      expect(error.message).toContain('sender id');
    },
  );
});

describe('decodeTextRequest', () => {
  const good = { provider: 'sinch', to: '+61491570156', from: '+61491570000', text: 'Hello', nonce: 'a1' };
  const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('gives back what encodeTextRequest carried, a single number as a list of one', () => {
    const batch = { ...good, to: ['+61491570156', '+61491570157'], options: { metadata: { order: '4711' } } };
    expect(decodeTextRequest(encodeTextRequest(batch as TextBatch))).toEqual(batch);
    const { from: _f, nonce: _n, ...bare } = good;
    expect(decodeTextRequest(token(bare))).toEqual({ ...bare, to: ['+61491570156'] });
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is not an object', token('hello')],
    ['null', token(null)],
    ['an unknown provider', token({ ...good, provider: 'twilio' })],
    ['an Object member as provider', token({ ...good, provider: 'constructor' })],
    ['a number that is not E.164', token({ ...good, to: '0401234567' })],
    ['an empty text', token({ ...good, text: '   ' })],
    ['a text over 5,000 characters', token({ ...good, text: 'x'.repeat(5001) })],
    ['a sender that is not a string', token({ ...good, from: 42 })],
    ['a nonce that is not a string', token({ ...good, nonce: {} })],
    ['no number', token({ ...good, to: [] })],
    [
      'more than 100 numbers',
      token({ ...good, to: Array.from({ length: 101 }, (_, i) => `+6149157${String(i).padStart(4, '0')}`) }),
    ],
    ['options that are not an object', token({ ...good, options: 'flash' })],
  ])('refuses a token with %s', (_name, t) => {
    expect(decodeTextRequest(t)).toBeUndefined();
  });
});
