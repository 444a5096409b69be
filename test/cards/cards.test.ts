import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AdaptiveCard,
  renderCustomerThreadCard,
  renderHelpCard,
  renderInboundMessageCard,
  renderLinksCard,
  renderNewConversationCard,
  renderNoticeCard,
  renderOutboundMessageCard,
  renderWelcomeCard,
  toAttachment,
} from '../../cards/index.ts';
import { setCardClock } from '../../cards/time.ts';
import { cardProblems, unwrappedTextBlocks, visibleTexts } from './validate.ts';

// Cards say "today 15:05:09": the reader's day and zone are fixed for the tests.
setCardClock({ now: () => Date.parse('2026-11-22T16:00:00Z'), timeZone: 'Europe/Berlin' });

const LONG = 'Hello, I ordered a blue kettle last week. '.repeat(40).slice(0, 1600);
const EMOJI = 'Thanks 😀👍🏽 see you soon 🇩🇪';
// biome-ignore lint/suspicious/noTemplateCurlyInString: customer text that looks like a template binding
const TEMPLATE_LIKE = 'Price is ${x}, {braces} }{ and ${ alone; ${customer}';
// Quotes and backslashes take 2 bytes in JSON, an emoji 4; control characters are dropped.
const HUGE = '"😀\u0001\\'.repeat(3000);
const AT = '2026-11-22T14:05:09.123Z';

interface Sample {
  name: string;
  card: AdaptiveCard;
  /** Substrings that must appear in what the reader sees. */
  shows: string[];
}

const samples: Sample[] = [
  ...[LONG, EMOJI, TEMPLATE_LIKE].map((text, i) => ({
    name: `customer-thread #${i + 1}`,
    card: renderCustomerThreadCard({
      customer: '+49 170 1234567',
      provider: 'smartdialog',
      channel: 'whatsapp',
      businessNumber: '+49 30 555 0100',
      text,
      receivedAt: AT,
      optedOut: i === 0,
      media: i === 1 ? [{ name: 'photo.jpg', contentType: 'image/jpeg' }] : [],
    }),
    shows: [
      '+49 170 1234567',
      'SmartDialog',
      'WhatsApp',
      '+49 30 555 0100',
      text,
      'today 15:05:09',
      ...(i === 0 ? ['Opted out (STOP)'] : []),
      ...(i === 1 ? ['photo.jpg', 'image/jpeg'] : []),
    ],
  })),
  ...[LONG, EMOJI, TEMPLATE_LIKE].map((text, i) => ({
    name: `inbound-message #${i + 1}`,
    card: renderInboundMessageCard({
      from: '+1 415 555 0100',
      channel: 'mms',
      text,
      receivedAt: AT,
      media:
        i === 2 ? [{ name: 'menu.pdf', contentType: 'application/pdf' }, { contentType: 'image/png' }] : [],
    }),
    shows: [
      '+1 415 555 0100',
      'MMS',
      text,
      ...(i === 2 ? ['menu.pdf', 'application/pdf', 'Attachment 2', 'image/png'] : []),
    ],
  })),
  {
    name: 'inbound-message opt-out',
    card: renderInboundMessageCard({
      from: '+1 415 555 0100',
      channel: 'sms',
      text: 'STOP',
      receivedAt: AT,
      optOut: true,
    }),
    shows: ['Opted out (STOP)', '+1 415 555 0100', 'STOP', 'today 15:05:09'],
  },
  ...[LONG, EMOJI, TEMPLATE_LIKE].map((text, i) => ({
    name: `outbound-message #${i + 1}`,
    card: renderOutboundMessageCard({
      agent: 'Alex Wilber',
      text,
      channel: 'sms',
      provider: 'retarus',
      to: '+49 170 1234567',
      status: i === 0 ? 'failed' : 'delivered',
      reason: i === 0 ? 'The number does not exist.' : undefined,
      timeline: [
        { status: 'queued', at: '2026-11-22T14:05:00Z' },
        { status: 'sent', at: '2026-11-22T14:05:02Z' },
        { status: i === 0 ? 'failed' : 'delivered', at: '2026-11-22T14:05:40Z' },
      ],
    }),
    shows: [
      'Alex Wilber',
      text,
      'SMS via Retarus',
      '+49 170 1234567',
      i === 0 ? 'Failed' : 'Delivered',
      ...(i === 0 ? ['The number does not exist.'] : []),
      'SMS segment',
      'Queued today 15:05:00 · Sent 15:05:02',
    ],
  })),
  {
    name: 'new conversation',
    card: renderNewConversationCard(),
    shows: ['New conversation', 'text ‹number› ‹message›'],
  },
  {
    name: 'welcome',
    card: renderWelcomeCard(),
    shows: ['@textbridge link sinch [number]', 'internal notes'],
  },
  {
    name: 'help',
    card: renderHelpCard(),
    shows: [
      'help',
      'link ‹sinch|sinch-conversation|retarus|smartdialog|all› [number]',
      'unlink [provider] [number]',
      'links',
    ],
  },
  {
    name: 'links',
    card: renderLinksCard({
      routes: [
        { provider: 'sinch', number: '+61 400 000 000', channelName: 'Support AU' },
        { provider: 'all', channelName: 'General' },
      ],
    }),
    shows: [
      'Routes (2)',
      'Sinch',
      '+61 400 000 000',
      'Support AU',
      'All providers',
      'All numbers',
      'General',
    ],
  },
  {
    name: 'links empty',
    card: renderLinksCard({ routes: [] }),
    shows: ['No routes yet', 'link sinch [number]'],
  },
  {
    name: 'notice',
    card: renderNoticeCard({
      title: 'Could not link',
      text: `Sinch is not configured: set SINCH_API_KEY and SINCH_API_SECRET. ${TEMPLATE_LIKE} ${EMOJI}`,
      style: 'attention',
      facts: [{ title: 'Provider', value: 'Sinch' }],
    }),
    shows: ['Could not link', 'SINCH_API_KEY', TEMPLATE_LIKE, EMOJI, 'Provider', 'Sinch'],
  },
  {
    name: 'notice without facts',
    card: renderNoticeCard({ title: 'Linked', text: 'Done.' }),
    shows: ['Linked'],
  },
];

describe.each(samples)('$name card', ({ card, shows }) => {
  it('parses and validates as Adaptive Card 1.5 without events', () => {
    expect(cardProblems(card)).toEqual({ parse: [], validation: [] });
    expect(card.version).toBe('1.5');
    expect(card.type).toBe('AdaptiveCard');
  });

  it('stays under 28 KB with at most 5 top-level actions', () => {
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    expect(card.actions?.length ?? 0).toBeLessThanOrEqual(5);
  });

  it('shows the data, with every text wrapping', () => {
    const texts = visibleTexts(card);
    for (const expected of shows) expect(texts.some((text) => text.includes(expected))).toBe(true);
    expect(unwrappedTextBlocks(card)).toEqual([]);
  });
});

describe('long texts', () => {
  it('cuts a message above 2,000 characters and says so', () => {
    const card = renderInboundMessageCard({
      from: '+1',
      channel: 'sms',
      text: 'x'.repeat(5000),
      receivedAt: AT,
    });
    const texts = visibleTexts(card);
    expect(texts).toContain(`${'x'.repeat(2000)}…`);
    expect(texts).toContain('Message shortened: showing 2,000 of 5,000 characters.');
  });

  it('does not cut a message of exactly 2,000 characters', () => {
    const card = renderInboundMessageCard({
      from: '+1',
      channel: 'sms',
      text: 'y'.repeat(2000),
      receivedAt: AT,
    });
    expect(visibleTexts(card)).toContain('y'.repeat(2000));
    expect(JSON.stringify(card)).not.toContain('shortened');
  });

  it('never splits an emoji when cutting', () => {
    const card = renderOutboundMessageCard({
      agent: 'A',
      text: '😀'.repeat(2500),
      channel: 'whatsapp',
      provider: 'sinch',
      status: 'queued',
    });
    expect(visibleTexts(card)).toContain(`${'😀'.repeat(2000)}…`);
  });

  it('keeps worst-case cards (escaped characters, many rows) under 28 KB', () => {
    const many = Array.from({ length: 500 }, (_, i) => i);
    const cards = [
      renderCustomerThreadCard({
        customer: HUGE,
        provider: 'sinch',
        channel: 'mms',
        businessNumber: HUGE,
        text: HUGE,
        receivedAt: AT,
        optedOut: true,
        media: many.map(() => ({ name: HUGE, contentType: HUGE })),
      }),
      renderOutboundMessageCard({
        agent: HUGE,
        text: HUGE,
        to: HUGE,
        reason: HUGE,
        channel: 'sms',
        provider: 'sinch',
        status: 'failed',
        timeline: many.map(() => ({ status: 'sent', at: HUGE })),
      }),
      renderLinksCard({ routes: many.map(() => ({ provider: 'sinch', number: HUGE, channelName: HUGE })) }),
      renderHelpCard({ botName: HUGE, commands: many.map(() => ({ usage: HUGE, description: HUGE })) }),
      renderNoticeCard({ title: HUGE, text: HUGE, facts: many.map(() => ({ title: HUGE, value: HUGE })) }),
    ];
    for (const card of cards) {
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
      expect(cardProblems(card)).toEqual({ parse: [], validation: [] });
    }
  });
});

describe('rendering', () => {
  it('uses Adaptive Card 1.5 templates', () => {
    const dir = new URL('../../cards/templates/', import.meta.url);
    const names = readdirSync(dir);
    expect(names.sort()).toEqual(
      [
        'contact',
        'customer-thread',
        'error',
        'help',
        'inbound-message',
        'job',
        'jobs',
        'links',
        'new-conversation',
        'notice',
        'outbound-message',
        'send-preview',
        'senders',
        'status',
        'templates',
        'version',
        'welcome',
      ].map((name) => `${name}.json`),
    );
    for (const name of names) {
      const template = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
      expect(template).toMatchObject({
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.5',
      });
    }
  });

  it('drops control characters and mends lone surrogates', () => {
    const card = renderInboundMessageCard({
      from: '+1',
      channel: 'sms',
      text: 'a\u0000b\tc\ud83d',
      receivedAt: AT,
    });
    expect(visibleTexts(card)).toContain('ab\tc\ufffd');
  });

  it('renders each call from a fresh copy of the template', () => {
    const first = renderNoticeCard({ title: 'First', text: 'one' });
    renderNoticeCard({ title: 'Second', text: 'two', facts: [{ title: 'k', value: 'v' }] });
    expect(visibleTexts(first)).toEqual(['First', 'one']);
  });

  it('leaves no template expression unbound', () => {
    const cards = [
      renderCustomerThreadCard({
        customer: '+1',
        provider: 'retarus',
        channel: 'rcs',
        businessNumber: '+2',
        text: 'hi',
        receivedAt: AT,
      }),
      renderInboundMessageCard({ from: '+1', channel: 'sms', text: '', receivedAt: AT, optOut: true }),
      renderOutboundMessageCard({
        agent: 'A',
        text: 'hi',
        channel: 'rcs',
        provider: 'sinch',
        status: 'unknown',
      }),
      renderWelcomeCard({ botName: 'Texts' }),
      renderHelpCard({ commands: [] }),
      renderLinksCard({ routes: [] }),
    ];
    for (const card of cards) expect(JSON.stringify(card)).not.toContain('${');
  });

  it('shows segments only for SMS', () => {
    const render = (channel: 'sms' | 'whatsapp') =>
      JSON.stringify(
        renderOutboundMessageCard({
          agent: 'A',
          text: 'é'.repeat(161),
          channel,
          provider: 'sinch',
          status: 'sent',
        }),
      );
    expect(render('sms')).toContain('2 SMS segments · GSM-7');
    expect(render('whatsapp')).not.toContain('segment');
  });

  it('shows each status as its coloured word, in no box of its own', () => {
    const looks = (
      ['queued', 'sent', 'delivered', 'read', 'failed', 'expired', 'rejected', 'cancelled'] as const
    ).map((status) => {
      const card = renderOutboundMessageCard({
        agent: 'A',
        text: 'x',
        channel: 'sms',
        provider: 'sinch',
        status,
      });
      const json = JSON.stringify(card);
      expect(json).not.toContain('"style"');
      const mark = json.match(/"text":"● (\w+)","color":"(\w+)"/);
      return [mark?.[1], mark?.[2]];
    });
    expect(looks).toEqual([
      ['Queued', 'Default'],
      ['Sent', 'Accent'],
      ['Delivered', 'Good'],
      ['Read', 'Good'],
      ['Failed', 'Attention'],
      ['Expired', 'Attention'],
      ['Rejected', 'Attention'],
      ['Cancelled', 'Warning'],
    ]);
  });

  it('wraps a card as a Bot Framework attachment', () => {
    const card = renderWelcomeCard();
    expect(toAttachment(card)).toEqual({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: card,
    });
  });
});
