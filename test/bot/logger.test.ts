/** What the log says about customers and secrets: numbers masked above debug, secrets never. */
import { describe, expect, it } from 'vitest';
import { maskNumber } from '../../bot/log-mask.ts';
import { createLogger } from '../../bot/logger.ts';
import { lineCollector } from '../helpers/log-capture.ts';

function capture(level: string) {
  const { stream, lines } = lineCollector();
  return { log: createLogger(level, stream), lines, text: () => lines.join('\n') };
}

describe('log masking', () => {
  it('writes a number as its country, first digit and last three', () => {
    expect(maskNumber('+61491570111')).toBe('+61 4•• ••• 111');
    expect(maskNumber('+358401234567')).toBe('+358 4•• ••• 567');
    expect(maskNumber('+15551234567')).toBe('+1 5 ••• ••• 567');
  });

  it('masks customer numbers in messages, fields and errors at info and above', () => {
    const { log, text } = capture('debug');
    log.info({ from: '+61491570111', thread: { customerNumber: '61491570112' } }, 'texted by +61491570113');
    log.warn('could not send to +61491570114');
    log.error({ err: new Error('Sinch refused +61491570115: blocked') }, 'send failed');
    const out = text();
    for (const n of ['491570111', '491570112', '491570113', '491570114', '491570115'])
      expect(out).not.toContain(n);
    expect(out).toContain('+61 4•• ••• 111');
    expect(out).toContain('+61 4•• ••• 115');
    // Every line is still one JSON object.
    for (const line of out.split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('shows numbers in full at debug, for the operator who asked for it', () => {
    const { log, text } = capture('debug');
    log.debug({ from: '+61491570111' }, 'inbound from +61491570111');
    expect(text()).toContain('+61491570111');
    expect(text()).not.toContain('•');
  });

  it('never writes a secret, at any level', () => {
    const { log, text } = capture('trace');
    log.debug(
      { url: '/webhooks/sinch?secret=webhook-secret-0123456789&x=1' },
      'Bearer eyJhbGciOiJSUzI1NiJ9.abc.def',
    );
    log.info(
      {
        config: {
          apiSecret: 's3cr3t-value',
          webhookSecret: 'webhook-secret-0123456789',
          password: 'pw-123456',
        },
      },
      'started',
    );
    log.warn({ headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' } }, 'odd request');
    const out = text();
    for (const secret of [
      'webhook-secret-0123456789',
      's3cr3t-value',
      'pw-123456',
      'eyJhbGciOiJSUzI1NiJ9',
      'dXNlcjpwYXNzd29yZA==',
    ]) {
      expect(out).not.toContain(secret);
    }
  });
});
