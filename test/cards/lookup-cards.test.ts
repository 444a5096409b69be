import { describe, expect, it } from 'vitest';
import {
  type AdaptiveCard,
  type JobRecipient,
  renderContactCard,
  renderErrorCard,
  renderHelpCard,
  renderJobCard,
  renderJobsCard,
  renderSendersCard,
  renderSendPreviewCard,
  renderStatusCard,
  renderTemplatesCard,
  renderVersionCard,
  type StatusCardData,
} from '../../cards/index.ts';
import { setCardClock } from '../../cards/time.ts';
import { allActions, cardProblems, unwrappedTextBlocks, visibleTexts } from './validate.ts';

// Cards say "today 15:05:09": the reader's day and zone are fixed for the tests.
setCardClock({ now: () => Date.parse('2026-11-22T16:00:00Z'), timeZone: 'Europe/Berlin' });

const AT = '2026-11-22T14:05:09.123Z';
const LATER = '2026-11-22T14:06:30Z';
// biome-ignore lint/suspicious/noTemplateCurlyInString: customer text that looks like a template binding
const TEMPLATE_LIKE = 'Price is ${x}, {braces} }{ and ${ alone; **bold** _it_ 😀👍🏽';
// Quotes and backslashes take 2 bytes in JSON, an emoji 4; control characters are dropped.
// biome-ignore lint/suspicious/noTemplateCurlyInString: worst-case user text
const HUGE = '"😀\u0001\\${a}{'.repeat(3000);
const LONG = 'Hello, I ordered a blue kettle last week. '.repeat(40).slice(0, 1600);
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const status: StatusCardData = {
  messageId: 'msg_7',
  provider: 'sinch',
  direction: 'outbound',
  customer: '+61 400 000 000',
  business: '+61 400 111 111',
  text: TEMPLATE_LIKE,
  status: 'failed',
  reason: 'The handset is switched off.',
  providerMessageId: '04f5c0de-1b2a',
  timeline: [
    { status: 'queued', at: AT },
    { status: 'sent', at: AT, vendorStatus: 'enroute' },
    { status: 'failed', at: LATER, vendorStatus: 'UNDELIV', code: 203 },
  ],
};

const recipients: JobRecipient[] = [
  {
    to: '+4917600000000',
    status: 'delivered',
    vendorStatus: 'DONE / SUC_FIN',
    reason: 'message_state:DELIVERED',
    finishedAt: LATER,
  },
  {
    to: '+4917600000001',
    status: 'failed',
    vendorStatus: 'DONE / FAIL_NO_ROUTE',
    reason: 'No route to network',
  },
  { to: '+4917600000002', status: 'sent', vendorStatus: 'SENT / SUC_ACC' },
];

interface Sample {
  name: string;
  card: AdaptiveCard;
  /** Substrings that must appear in what the reader sees. */
  shows: string[];
}

const samples: Sample[] = [
  {
    name: 'status',
    card: renderStatusCard(status),
    shows: [
      'Message msg_7',
      'Sinch id 04f5c0de-1b2a',
      'To the customer',
      '+61 400 000 000',
      '+61 400 111 111',
      TEMPLATE_LIKE,
      'Failed',
      'The handset is switched off.',
      'UNDELIV',
      'code 203',
      'today 15:05:09',
    ],
  },
  {
    name: 'status, inbound without timeline',
    card: renderStatusCard({ ...status, direction: 'inbound', status: 'unknown', timeline: [], reason: '' }),
    shows: ['From the customer', 'No status updates recorded yet.', '● Unknown'],
  },
  {
    name: 'job',
    card: renderJobCard({
      jobId: 'J.20221116-102407.583-0lajfsfmoXIZJO93PQ',
      sender: 'ACME',
      encoding: 'utf-16',
      receivedAt: AT,
      recipients,
    }),
    shows: [
      'Retarus job',
      'J.20221116-102407.583-0lajfsfmoXIZJO93PQ',
      'ACME',
      'utf-16',
      'Open: not finished yet',
      '3 recipients: 1 Failed, 1 Sent, 1 Delivered',
      '+4917600000001',
      'DONE / FAIL_NO_ROUTE',
      'No route to network',
      'Delivered',
    ],
  },
  {
    name: 'job, finished and empty',
    card: renderJobCard({ jobId: 'J.1', receivedAt: AT, finishedAt: LATER, recipients: [] }),
    shows: ['Finished', 'Account default', 'Not reported', 'No recipients reported yet.'],
  },
  {
    name: 'jobs',
    card: renderJobsCard({ from: AT, to: LATER, open: true, jobIds: ['J.1', 'J.2'] }),
    shows: ['Open Retarus jobs (2)', 'J.1', 'J.2', 'Open', 'Received between', 'Send **job**'],
  },
  {
    name: 'jobs, empty',
    card: renderJobsCard({ from: AT, to: LATER, jobIds: [] }),
    shows: ['Retarus jobs', 'No jobs in this window.'],
  },
  {
    name: 'contact',
    card: renderContactCard({
      phone: '+358401234567',
      firstName: 'Aino',
      lastName: 'Virtanen',
      email: 'aino@example.fi',
      streetAddress: 'Mannerheimintie 1',
      zipCode: '00100',
      city: 'Helsinki',
      countryCode: 'FIN',
      active: true,
      custom: { 'Customer number': '4711', Tier: TEMPLATE_LIKE },
      regions: ['Uusimaa'],
    }),
    shows: [
      'Aino Virtanen',
      '+358401234567',
      'aino@example.fi',
      'Mannerheimintie 1, 00100 Helsinki',
      'FIN',
      'Active',
      'Custom properties',
      'Customer number',
      '4711',
      TEMPLATE_LIKE,
      'Uusimaa',
    ],
  },
  {
    name: 'contact, phone only',
    card: renderContactCard({ phone: '+358401234567', active: false }),
    shows: ['+358401234567', 'Not set', 'Inactive'],
  },
  {
    name: 'templates',
    card: renderTemplatesCard({
      templates: [
        {
          id: 'tpl_1',
          name: 'order_shipped',
          category: 'UTILITY',
          language: 'en_US',
          content: 'Hi {{1}}, your order {{2}} has shipped.',
        },
        { id: 'tpl_2', name: 'promo', content: TEMPLATE_LIKE },
      ],
    }),
    shows: [
      'WhatsApp templates (2)',
      'order_shipped',
      'UTILITY · en_US · id tpl_1',
      'Hi {{1}}, your order {{2}} has shipped.',
      'promo',
      TEMPLATE_LIKE,
    ],
  },
  {
    name: 'templates, empty',
    card: renderTemplatesCard({ templates: [] }),
    shows: ['WhatsApp templates', 'No WhatsApp templates found.'],
  },
  {
    name: 'senders',
    card: renderSendersCard({
      providers: [
        {
          provider: 'sinch',
          senders: [
            { id: '+61400000000', label: 'Support AU', kind: 'number' },
            { id: 'ACME', kind: 'alphanumeric', isDefault: true },
          ],
        },
        { provider: 'retarus', senders: [], note: 'Retarus cannot list senders; RETARUS_SENDER is ACME.' },
      ],
    }),
    shows: [
      'Senders',
      'Sinch',
      '+61400000000',
      'Support AU · number',
      'ACME',
      'alphanumeric',
      '★ Configured default',
      'Retarus',
      'No senders listed.',
      'RETARUS_SENDER is ACME.',
    ],
  },
  {
    name: 'senders, none',
    card: renderSendersCard({ providers: [] }),
    shows: ['No provider is configured'],
  },
  {
    name: 'send preview',
    card: renderSendPreviewCard({ token: 'tok_1', to: '+49 170 1234567', provider: 'retarus', text: LONG }),
    shows: [
      'Send this text?',
      '+49 170 1234567',
      'Retarus',
      'Configured default',
      '1,600 characters · 11 SMS segments · GSM-7',
      'As SMS this is 11 segments',
      LONG,
      'Send',
      'Cancel',
    ],
  },
  {
    name: 'send preview, short',
    card: renderSendPreviewCard({ token: 't', to: '+1', provider: 'sinch', sender: 'ACME', text: '' }),
    shows: ['ACME', '0 characters · 1 SMS segment · GSM-7'],
  },
  {
    name: 'version',
    card: renderVersionCard({
      botVersion: '0.1.0',
      providers: [
        { provider: 'retarus', version: '2016.3 (build 512)' },
        { provider: 'sinch', error: 'Sinch did not answer within 10 seconds.' },
        { provider: 'smartdialog' },
      ],
    }),
    shows: [
      'Version',
      'textbridge',
      '0.1.0',
      'Retarus',
      '2016.3 (build 512)',
      '⚠️ Sinch did not answer within 10 seconds.',
      'Not reported',
    ],
  },
  {
    name: 'version, no providers',
    card: renderVersionCard({ botVersion: '0.1.0', providers: [] }),
    shows: ['No provider is configured.'],
  },
  {
    name: 'error',
    card: renderErrorCard({
      title: 'Could not send the text',
      what: 'Your reply to +49 170 1234567 was not sent.',
      why: 'Retarus rejected the login (401).',
      next: 'Ask an administrator to check RETARUS_USERNAME and RETARUS_PASSWORD.',
      details: [
        { title: 'Provider', value: 'Retarus' },
        { title: 'Text', value: TEMPLATE_LIKE },
      ],
    }),
    shows: [
      '⚠️ Could not send the text',
      'What happened',
      'Your reply to +49 170 1234567 was not sent.',
      'Why',
      'Retarus rejected the login (401).',
      'What to do',
      'RETARUS_USERNAME',
      'Provider',
      TEMPLATE_LIKE,
    ],
  },
  {
    name: 'error, minimal',
    card: renderErrorCard({ title: 'Unknown job', what: 'No job J.1 was found.', why: '' }),
    shows: ['Unknown job', 'No job J.1 was found.', 'Not known.'],
  },
  {
    name: 'help, grouped',
    card: renderHelpCard({
      commands: [
        { usage: 'help', description: 'Show this list.' },
        { usage: 'status <id>', description: 'Where a message is.', group: 'Messages' },
        { usage: 'jobs', description: 'List Retarus jobs.', group: 'Retarus' },
        { usage: 'text <number> <message>', description: 'Start a thread.', group: 'Messages' },
      ],
    }),
    shows: ['help', 'Messages', 'status ‹id›', 'text ‹number› ‹message›', 'Retarus', 'jobs'],
  },
];

const worstCases: Array<[string, AdaptiveCard]> = [
  [
    'status',
    renderStatusCard({
      ...status,
      messageId: HUGE,
      customer: HUGE,
      business: HUGE,
      text: HUGE,
      reason: HUGE,
      providerMessageId: HUGE,
      timeline: many(500, () => ({ status: 'sent', at: HUGE, vendorStatus: HUGE, code: HUGE })),
    }),
  ],
  [
    'job',
    renderJobCard({
      jobId: HUGE,
      sender: HUGE,
      encoding: HUGE,
      receivedAt: HUGE,
      finishedAt: HUGE,
      recipients: many(3000, () => ({
        to: HUGE,
        status: 'failed',
        vendorStatus: HUGE,
        reason: HUGE,
        finishedAt: HUGE,
      })),
    }),
  ],
  ['jobs', renderJobsCard({ from: HUGE, to: HUGE, open: false, jobIds: many(1000, () => HUGE) })],
  [
    'contact',
    renderContactCard({
      phone: HUGE,
      email: HUGE,
      firstName: HUGE,
      lastName: HUGE,
      streetAddress: HUGE,
      zipCode: HUGE,
      city: HUGE,
      countryCode: HUGE,
      regions: many(500, () => HUGE),
      custom: Object.fromEntries(many(500, (i) => [`${i}${HUGE}`, HUGE])),
    }),
  ],
  [
    'templates',
    renderTemplatesCard({
      templates: many(500, () => ({ id: HUGE, name: HUGE, category: HUGE, language: HUGE, content: HUGE })),
    }),
  ],
  [
    'senders',
    renderSendersCard({
      providers: many(20, () => ({
        provider: 'smartdialog' as const,
        senders: many(500, () => ({ id: HUGE, label: HUGE, kind: HUGE, isDefault: true })),
        note: HUGE,
      })),
    }),
  ],
  [
    'send preview',
    renderSendPreviewCard({ token: 'tok', to: HUGE, provider: 'sinch', sender: HUGE, text: HUGE }),
  ],
  [
    'version',
    renderVersionCard({
      botVersion: HUGE,
      providers: many(50, () => ({ provider: 'retarus' as const, version: HUGE, error: HUGE })),
    }),
  ],
  [
    'error',
    renderErrorCard({
      title: HUGE,
      what: HUGE,
      why: HUGE,
      next: HUGE,
      details: many(500, () => ({ title: HUGE, value: HUGE })),
    }),
  ],
  [
    'help',
    renderHelpCard({
      botName: HUGE,
      commands: many(500, (i) => ({ usage: HUGE, description: HUGE, group: `${i}${HUGE}` })),
    }),
  ],
];

describe.each(samples)('$name card', ({ card, shows }) => {
  it('parses and validates as Adaptive Card 1.5 without events', () => {
    expect(cardProblems(card)).toEqual({ parse: [], validation: [] });
    expect(card.version).toBe('1.5');
  });

  it('stays under 28 KB with at most 5 top-level actions', () => {
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    expect(card.actions?.length ?? 0).toBeLessThanOrEqual(5);
  });

  it('shows the data, with every text wrapping', () => {
    const texts = visibleTexts(card);
    for (const expected of shows) expect(texts.filter((text) => text.includes(expected))).not.toEqual([]);
    expect(unwrappedTextBlocks(card)).toEqual([]);
  });
});

describe.each(worstCases)('%s card in the worst case', (_, card) => {
  it('stays valid and under 28 KB', () => {
    expect(cardProblems(card)).toEqual({ parse: [], validation: [] });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    expect(card.actions?.length ?? 0).toBeLessThanOrEqual(5);
    expect(unwrappedTextBlocks(card)).toEqual([]);
  });
});

describe('status card', () => {
  it('swaps From and To for an inbound message', () => {
    const meta = (data: StatusCardData) => visibleTexts(renderStatusCard(data)).find((t) => t.includes('→'));
    expect(meta(status)).toContain('To the customer · +61 400 111 111 → +61 400 000 000');
    expect(meta({ ...status, direction: 'inbound' })).toContain(
      'From the customer · +61 400 000 000 → +61 400 111 111',
    );
  });

  it('lists each status change with its time, vendor status and code', () => {
    expect(JSON.stringify(renderStatusCard(status))).toContain(
      '"facts":[{"title":"Queued","value":"today 15:05:09"},{"title":"Sent","value":"15:05:09 · enroute"},{"title":"Failed","value":"15:06:30 · UNDELIV · code 203"}]',
    );
  });

  it('shows the latest 20 status changes and counts the earlier ones', () => {
    const card = renderStatusCard({ ...status, timeline: many(25, () => ({ status: 'sent', at: AT })) });
    expect(visibleTexts(card)).toContain('5 earlier updates not shown');
    expect(visibleTexts(card).filter((text) => text === 'Sent')).toHaveLength(20);
  });
});

describe('job card', () => {
  const rowsOf = (card: AdaptiveCard) => visibleTexts(card).filter((text) => text.startsWith('+49'));

  it('lists at most 50 recipients and counts the rest', () => {
    const card = renderJobCard({
      jobId: 'J.1',
      recipients: many(120, (i) => ({ to: `+49${i}`, status: 'delivered', vendorStatus: 'DONE / SUC_FIN' })),
    });
    expect(rowsOf(card)).toHaveLength(50);
    expect(visibleTexts(card)).toContain('…and 70 more recipients.');
    expect(visibleTexts(card)).toContain('120 recipients: 120 Delivered');
  });

  it('lists fewer recipients when 50 would not fit, and counts every one left out', () => {
    const total = 3000;
    const card = renderJobCard({
      jobId: 'J.1',
      recipients: many(total, (i) => ({
        to: `+49${i}`,
        status: 'failed',
        vendorStatus: 'X'.repeat(200),
        reason: 'Y'.repeat(400),
        finishedAt: AT,
      })),
    });
    const shown = rowsOf(card).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(50);
    expect(visibleTexts(card)).toContain(`…and ${(total - shown).toLocaleString('en-US')} more recipients.`);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
  });

  it('lists the recipients that did not get the message first', () => {
    const card = renderJobCard({ jobId: 'J.1', recipients });
    expect(rowsOf(card)).toEqual(['+4917600000001', '+4917600000002', '+4917600000000']);
  });

  it('shows Open for a recipient that has not finished', () => {
    const card = renderJobCard({
      jobId: 'J.1',
      recipients: [{ to: '+49', status: 'sent', vendorStatus: '' }],
    });
    expect(visibleTexts(card)).toEqual(expect.arrayContaining(['Open', '–', '● Sent']));
  });
});

describe('jobs card', () => {
  it('lists at most 50 job ids and counts the rest', () => {
    const card = renderJobsCard({ from: AT, to: LATER, open: false, jobIds: many(75, (i) => `J.${i}`) });
    const ids = visibleTexts(card).filter((text) => text.startsWith('J.'));
    expect(ids).toHaveLength(50);
    expect(visibleTexts(card)).toEqual(
      expect.arrayContaining(['Finished Retarus jobs (75)', expect.stringContaining('…and 25 more jobs.')]),
    );
  });

  it('labels no job open or finished when the query asked for both', () => {
    const texts = visibleTexts(renderJobsCard({ from: AT, to: LATER, jobIds: ['J.1'] }));
    expect(texts).not.toContain('Open');
    expect(texts).not.toContain('Finished');
  });
});

describe('templates card', () => {
  it('lists at most 30 templates with a 300-character preview', () => {
    const card = renderTemplatesCard({
      templates: many(40, (i) => ({ id: `t${i}`, name: `name_${i}`, content: 'z'.repeat(500) })),
    });
    const texts = visibleTexts(card);
    // Each shown template is listed once and offered once in the send form's choice.
    expect(texts.filter((text) => text.startsWith('name_'))).toHaveLength(60);
    expect(texts).toContain('…and 10 more templates.');
    expect(texts).toContain(`${'z'.repeat(300)}…`);
  });
});

describe('senders card', () => {
  it('lists the default first', () => {
    const card = renderSendersCard({
      providers: [{ provider: 'sinch', senders: [{ id: 'A1' }, { id: 'B2', isDefault: true }] }],
    });
    const ids = visibleTexts(card).filter((text) => text === 'A1' || text === 'B2');
    expect(ids).toEqual(['B2', 'A1']);
    expect(visibleTexts(card).filter((text) => text.includes('Configured default'))).toHaveLength(1);
  });
});

describe('send preview card', () => {
  it('sends or cancels with the token', () => {
    const card = renderSendPreviewCard({ token: 'tok_9', to: '+1', provider: 'sinch', text: 'hi' });
    expect(card.actions).toHaveLength(2);
    expect(allActions(card)).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        title: 'Send',
        verb: 'send-text',
        data: { token: 'tok_9' },
      }),
      expect.objectContaining({
        type: 'Action.Execute',
        title: 'Cancel',
        verb: 'cancel-text',
        data: { token: 'tok_9' },
      }),
    ]);
  });

  it('warns about the billing of a multi-part Unicode text', () => {
    const texts = visibleTexts(
      renderSendPreviewCard({ token: 't', to: '+1', provider: 'sinch', text: 'ж'.repeat(140) }),
    );
    expect(texts).toContain('140 characters · 3 SMS segments · UCS-2 (Unicode)');
    expect(
      texts.filter((text) => text.startsWith('As SMS this is 3 segments (140 UTF-16 units)')),
    ).toHaveLength(1);
  });

  it('has no warning for a single segment', () => {
    const texts = visibleTexts(
      renderSendPreviewCard({ token: 't', to: '+1', provider: 'sinch', text: 'hi' }),
    );
    expect(texts.filter((text) => text.startsWith('As SMS'))).toEqual([]);
  });
});

describe('error card', () => {
  it('never shows stack frames', () => {
    const stack =
      'Error: boom\n    at send (file:///app/adapters/retarus/api.ts:41:11)\n    at async run (node:internal)';
    const card = renderErrorCard({
      title: 'Could not send',
      what: 'The text was not sent.',
      why: `Retarus answered 500. ${stack}`,
      details: [{ title: 'Stack', value: stack }],
    });
    const json = JSON.stringify(card);
    expect(json).not.toContain('api.ts:41:11');
    expect(json).not.toContain('node:internal');
    expect(visibleTexts(card)).toEqual(
      expect.arrayContaining(['Retarus answered 500. Error: boom', 'Error: boom']),
    );
  });
});

describe('help card', () => {
  it('lists ungrouped commands first and groups in order of first appearance', () => {
    const texts = visibleTexts(
      renderHelpCard({
        commands: [
          { usage: 'status <id>', description: 'd', group: 'Messages' },
          { usage: 'jobs', description: 'd', group: 'Retarus' },
          { usage: 'help', description: 'd' },
          { usage: 'text', description: 'd', group: 'Messages' },
        ],
      }),
    ).filter((text) => text !== 'd');
    expect(texts.slice(2)).toEqual(['help', 'Messages', 'status ‹id›', 'text', 'Retarus', 'jobs']);
  });

  it('shows no heading when no command has a group', () => {
    const texts = visibleTexts(renderHelpCard());
    expect(texts.slice(2)).toEqual([
      'help',
      'Show this list of commands.',
      'link ‹sinch|sinch-conversation|retarus|smartdialog|all› [number]',
      expect.stringContaining('Send customer texts'),
      'unlink [provider] [number]',
      expect.stringContaining('Stop sending'),
      'links',
      expect.stringContaining('List which providers'),
    ]);
  });
});
