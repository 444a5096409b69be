/**
 * Renders every card with sample data to docs/cards/<name>.png, as Teams would show it: the
 * adaptivecards renderer in headless Chromium (playwright-core), with a Teams-like host config.
 *
 *   npm run cards:render
 *
 * Uses Debian's Chromium (`apt-get install -y chromium`); playwright's own browser downloads are
 * not needed. fonts-noto-color-emoji and fonts-open-sans make emoji and text look closer to Teams.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  type AdaptiveCard,
  renderContactCard,
  renderCustomerThreadCard,
  renderErrorCard,
  renderHelpCard,
  renderInboundMessageCard,
  renderJobCard,
  renderJobsCard,
  renderLinksCard,
  renderNoticeCard,
  renderOutboundMessageCard,
  renderSendersCard,
  renderSendPreviewCard,
  renderStatusCard,
  renderTemplatesCard,
  renderVersionCard,
  renderWelcomeCard,
} from '../cards/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT_DIR = fileURLToPath(new URL('./cards/', import.meta.url));
const AC_BUNDLE = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.js');
/** About the width Teams gives a card in a channel conversation. */
const CARD_WIDTH = 520;

const CUSTOMER = '+49 170 1234567';
const BUSINESS = '+49 30 555 0100';
const at = (time: string) => `2026-11-22T${time}Z`;

const outbound = {
  agent: 'Megan Bowen',
  text: 'Hi Anna, your kettle left our warehouse this morning. You will get a tracking link by email.',
  channel: 'sms',
  provider: 'retarus',
  to: CUSTOMER,
  messageId: 'msg_01JD5Q',
} as const;

const SAMPLES: Record<string, AdaptiveCard> = {
  welcome: renderWelcomeCard(),
  help: renderHelpCard({
    commands: [
      { usage: 'help', description: 'Show this list of commands.' },
      {
        usage: 'text <number> [--via <provider>] [--from <sender>] <message>',
        description: 'Text a customer and start a thread for them.',
        group: 'Customers',
      },
      { usage: 'optout <number>', description: 'Stop texting a customer.', group: 'Customers' },
      { usage: 'status <message-or-job-id>', description: 'Where a message is now.', group: 'Delivery' },
      {
        usage: 'jobs [--from <iso>] [--to <iso>] [--open]',
        description: 'List Retarus jobs.',
        group: 'Delivery',
      },
      {
        usage: 'link <sinch|retarus|smartdialog|all> [number]',
        description: 'Route texts here.',
        group: 'Setup',
      },
    ],
  }),
  links: renderLinksCard({
    routes: [
      { provider: 'sinch', number: '+61 400 000 000', channelName: 'Support AU' },
      { provider: 'retarus', number: BUSINESS, channelName: 'Support DE' },
      { provider: 'all', channelName: 'General' },
    ],
  }),
  notice: renderNoticeCard({
    title: 'Linked',
    text: 'Customer texts to +49 30 555 0100 through Retarus now arrive in this channel.',
    style: 'good',
    facts: [
      { title: 'Provider', value: 'Retarus' },
      { title: 'Number', value: BUSINESS },
    ],
  }),
  'customer-thread': renderCustomerThreadCard({
    customer: CUSTOMER,
    provider: 'retarus',
    channel: 'sms',
    businessNumber: BUSINESS,
    text: 'Hello, I ordered a blue kettle last week (order 4711) and it has not arrived yet. Can you check? 🙏',
    receivedAt: at('09:12:40'),
    threadId: 'th_01JD5P',
    assignee: 'Megan Bowen',
  }),
  'inbound-message': renderInboundMessageCard({
    from: CUSTOMER,
    channel: 'mms',
    text: 'Thanks! Here is a photo of the box I got instead 📦',
    media: [{ name: 'IMG_2041.jpg', contentType: 'image/jpeg' }],
    receivedAt: at('09:31:02'),
  }),
  'outbound-message-queued': renderOutboundMessageCard({
    ...outbound,
    status: 'queued',
    timeline: [{ status: 'queued', at: at('09:20:11') }],
  }),
  'outbound-message-delivered': renderOutboundMessageCard({
    ...outbound,
    status: 'delivered',
    timeline: [
      { status: 'queued', at: at('09:20:11') },
      { status: 'sent', at: at('09:20:13') },
      { status: 'delivered', at: at('09:20:58') },
    ],
  }),
  'outbound-message-failed': renderOutboundMessageCard({
    ...outbound,
    status: 'failed',
    reason: 'The handset could not be reached (absent subscriber).',
    timeline: [
      { status: 'queued', at: at('09:20:11') },
      { status: 'sent', at: at('09:20:13') },
      { status: 'failed', at: at('09:24:40') },
    ],
  }),
  status: renderStatusCard({
    messageId: 'msg_01JD5Q',
    provider: 'sinch',
    direction: 'outbound',
    customer: '+61 400 123 456',
    business: '+61 400 000 000',
    text: 'Your appointment is confirmed for Tuesday 10:00. Reply C to cancel.',
    status: 'failed',
    reason: 'The number is not in service.',
    providerMessageId: '9f1c2a7e-5d3b-4e0a',
    timeline: [
      { status: 'queued', at: at('08:00:02') },
      { status: 'sent', at: at('08:00:03'), vendorStatus: 'enroute' },
      { status: 'failed', at: at('08:00:41'), vendorStatus: 'undeliverable', code: 3011 },
    ],
  }),
  job: renderJobCard({
    jobId: 'J.20261122-091204.583-0lajfsfmoXIZJO93PQ',
    sender: 'ACME',
    encoding: 'standard',
    receivedAt: at('09:12:04'),
    finishedAt: at('09:14:31'),
    recipients: [
      {
        to: '+49 176 00000001',
        status: 'delivered',
        vendorStatus: 'DONE / SUC_FIN',
        finishedAt: at('09:12:38'),
      },
      {
        to: '+49 176 00000002',
        status: 'failed',
        vendorStatus: 'DONE / FAIL_ABS',
        reason: 'Absent subscriber',
        finishedAt: at('09:14:31'),
      },
      {
        to: '+49 176 00000003',
        status: 'delivered',
        vendorStatus: 'DONE / SUC_FIN',
        finishedAt: at('09:12:45'),
      },
    ],
  }),
  jobs: renderJobsCard({
    from: at('00:00:00'),
    to: at('12:00:00'),
    open: true,
    jobIds: ['J.20261122-091204.583-0lajfsfmoXIZJO93PQ', 'J.20261122-101530.112-0lajfsfnH2LxQ1K9ZT'],
  }),
  contact: renderContactCard({
    phone: '+358 40 1234567',
    firstName: 'Aino',
    lastName: 'Virtanen',
    email: 'aino.virtanen@example.fi',
    streetAddress: 'Mannerheimintie 1',
    zipCode: '00100',
    city: 'Helsinki',
    countryCode: 'FIN',
    active: true,
    custom: { 'Customer number': '4711', 'Preferred store': 'Helsinki Kamppi' },
  }),
  templates: renderTemplatesCard({
    templates: [
      {
        id: '1042',
        name: 'order_shipped',
        category: 'UTILITY',
        language: 'en_US',
        content: 'Hi {{1}}, your order {{2}} has shipped and should arrive on {{3}}.',
      },
      {
        id: '1043',
        name: 'appointment_reminder',
        category: 'UTILITY',
        language: 'fi',
        content: 'Hei {{1}}! Muistutus: aikasi on {{2}} klo {{3}}.',
      },
    ],
  }),
  senders: renderSendersCard({
    providers: [
      {
        provider: 'sinch',
        senders: [
          { id: '+61400000000', label: 'Support AU', kind: 'number', isDefault: true },
          { id: '61400', kind: 'short code' },
        ],
      },
      {
        provider: 'retarus',
        senders: [{ id: 'ACME', kind: 'alphanumeric', isDefault: true }],
        note: 'Retarus cannot list senders; this is RETARUS_SENDER.',
      },
    ],
  }),
  'send-preview': renderSendPreviewCard({
    token: 'pv_01JD5R',
    to: CUSTOMER,
    provider: 'retarus',
    sender: 'ACME',
    text: 'Dear customer, we are sorry your kettle arrived damaged. 😔 A replacement ships today and you can keep or recycle the damaged one; there is nothing to send back. If anything else is wrong, just reply to this message.',
  }),
  version: renderVersionCard({
    botVersion: '0.1.0',
    providers: [
      { provider: 'retarus', version: '2016.3 (build 512, 2026-10-01)' },
      { provider: 'sinch', error: 'Sinch did not answer within 10 seconds.' },
    ],
  }),
  error: renderErrorCard({
    title: 'Could not send the text',
    what: `Your reply to ${CUSTOMER} was not sent.`,
    why: 'Retarus rejected the login (HTTP 401).',
    next: 'Ask an administrator to check RETARUS_USERNAME and RETARUS_PASSWORD, then send the reply again.',
    details: [
      { title: 'Provider', value: 'Retarus' },
      { title: 'Message', value: 'msg_01JD5Q' },
    ],
  }),
};

/** Colours and sizes of the Teams light theme. */
const FONT_FAMILY =
  "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, 'Open Sans', 'Noto Sans', 'Helvetica Neue', sans-serif";

const HOST_CONFIG = {
  fontFamily: FONT_FAMILY,
  fontTypes: {
    default: {
      fontFamily: FONT_FAMILY,
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: "Consolas, 'Cascadia Mono', 'DejaVu Sans Mono', monospace",
      fontSizes: { small: 12, default: 13, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
  },
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  supportsInteractivity: true,
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: colours() },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: colours() },
    accent: { backgroundColor: '#E8EBFA', foregroundColors: colours() },
    good: { backgroundColor: '#E7F2DA', foregroundColors: colours() },
    attention: { backgroundColor: '#FCF4F6', foregroundColors: colours() },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: colours() },
  },
  actions: {
    maxActions: 5,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  factSet: {
    title: { weight: 'bolder', wrap: true, maxWidth: 150 },
    value: { wrap: true },
    spacing: 12,
  },
  inputs: {
    label: { requiredInputs: { weight: 'bolder', suffix: ' *' }, optionalInputs: { weight: 'bolder' } },
    errorMessage: { size: 'small', color: 'attention' },
  },
};

function colours() {
  const pair = (hex: string, subtle: string) => ({ default: hex, subtle });
  return {
    default: pair('#242424', '#616161'),
    dark: pair('#242424', '#616161'),
    light: pair('#FFFFFF', '#F5F5F5'),
    accent: pair('#5B5FC7', '#6264A7'),
    good: pair('#237B4B', '#3A8A5E'),
    warning: pair('#835C00', '#9A7B2E'),
    attention: pair('#C4314B', '#C8586B'),
  };
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><style>
  html, body { margin: 0; background: #ffffff; }
  #shot { display: inline-block; padding: 16px; background: #ffffff; }
  #frame {
    width: ${CARD_WIDTH}px; border: 1px solid #e0e0e0; border-radius: 6px; overflow: hidden;
    box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); background: #ffffff;
  }
  .ac-adaptiveCard { font-family: ${HOST_CONFIG.fontFamily}; color: #242424; }
  .ac-textBlock p, .ac-textBlock { margin: 0; }
  .ac-pushButton {
    font: 600 14px ${HOST_CONFIG.fontFamily}; color: #242424; background: #ffffff;
    border: 1px solid #d1d1d1; border-radius: 4px; padding: 5px 12px; min-height: 32px;
    overflow: hidden; white-space: nowrap; text-overflow: ellipsis; cursor: pointer;
    flex: 0 1 auto;
  }
  .ac-input-container { width: 100%; }
  .ac-textInput {
    font: 14px ${HOST_CONFIG.fontFamily}; color: #242424; background: #ffffff; width: 100%;
    border: 1px solid #d1d1d1; border-bottom-color: #616161; border-radius: 4px; padding: 6px 10px;
    box-sizing: border-box; resize: none;
  }
  .ac-textInput.ac-multiline { height: 72px; }
  .ac-textInput::placeholder { color: #707070; }
</style></head>
<body><div id="shot"><div id="frame"></div></div></body></html>`;

/** Runs in the page: Teams-like markdown (bold, italic, links, lists) and the card renderer. */
const PAGE_SCRIPT = `
  const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = escapeHtml(text)
      .replace(/\\*\\*(.+?)\\*\\*/g, '<strong>$1</strong>')
      .replace(/(^|\\W)_(.+?)_(?=\\W|$)/g, '$1<em>$2</em>')
      .replace(/\\n/g, '<br>');
    result.didProcess = true;
  };
  window.renderCard = (json, hostConfig) => {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    card.parse(json);
    const frame = document.getElementById('frame');
    frame.replaceChildren(card.render());
  };
`;

interface CardPage {
  renderCard(json: unknown, hostConfig: unknown): void;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  try {
    // A fixed locale and zone keep the DATE/TIME functions, and so the pictures, stable.
    const page = await browser.newPage({
      deviceScaleFactor: 2,
      locale: 'en-US',
      timezoneId: 'Europe/Berlin',
    });
    await page.setContent(PAGE);
    await page.addScriptTag({ path: AC_BUNDLE });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    await page.evaluate('document.fonts.ready');
    for (const [name, card] of Object.entries(SAMPLES)) {
      await page.evaluate(
        ([json, hostConfig]) => (globalThis as unknown as CardPage).renderCard(json, hostConfig),
        [card, HOST_CONFIG] as const,
      );
      const path = `${OUT_DIR}${name}.png`;
      await page.locator('#shot').screenshot({ path });
      console.log(`wrote ${path}`);
    }
  } finally {
    await browser.close();
  }
}

await main();
