/**
 * The Inbox tab in Debian's Chromium, inside a stand-in Teams host that answers teams-js
 * (initialize, context, theme, SSO token), so the real SSO path runs: the token is checked by
 * the bot against a local OpenID/JWKS server. Lists, filters, search, transcript, claim, reply,
 * a live update after a webhook, the dark theme, the New conversation dialog, and axe-core.
 * Screenshots land in test-results/inbox/. Run with `npm run test:e2e`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALEX, type InboxHarness, SALES, SUPPORT, startInboxHarness } from '../helpers/inbox-app.ts';
import { CHROMIUM } from '../helpers/playground.ts';
import { TENANT } from '../helpers/teams-activity.ts';
import { frameOf, hostLog, openInHost, setTheme } from '../helpers/teams-host.ts';
import { eventually } from '../helpers/wait.ts';

const SHOTS = fileURLToPath(new URL('../../test-results/inbox/', import.meta.url));

describe('the Inbox tab in a browser', () => {
  let h: InboxHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tab: Frame;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startInboxHarness();
    ids['waiting'] = await h.customerTexts('+61491571001', SUPPORT.number, 'Where is parcel 4711?');
    ids['other'] = await h.customerTexts('+61491571002', SALES.number, 'Do you deliver on Sundays?');
    await h.app.store.setAssignee(ids['other'], { name: ALEX.name, id: ALEX.oid });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    // axe-core reads colours as they are at that instant: with Fluent's transitions running (a
    // Send button turning from disabled grey to the brand colour takes 100 ms, longer on a busy
    // machine) it can measure a colour half-way and report a contrast the page never rests at.
    // Reduced motion, which Fluent honours, makes every colour final at once.
    context = await browser.newContext({ viewport: { width: 1280, height: 760 }, reducedMotion: 'reduce' });
    // teams-js asks Microsoft's CDN for its list of hosts; offline it uses its bundled list.
    await context.route('https://res.cdn.office.net/**', (r) => r.abort());
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.log(`[browser ${m.type()}] ${m.text()}`);
    });
    context.on('weberror', (e) => console.log(`[browser error] ${e.error().stack ?? e.error().message}`));
    ({ page, tab } = await openInHost(context, h.url, {
      tab: '/tab/inbox',
      token: await h.token(),
      user: { oid: ALEX.oid, tid: TENANT, upn: 'alex@contoso.test' },
    }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await page?.screenshot({
        path: path.join(SHOTS, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`),
      });
    }
  });

  const row = (id: string) => tab.locator(`[data-conversation="${id}"]`);

  it('lists the waiting conversations with counts, through the SSO token', async () => {
    await row(ids['waiting'] as string).waitFor();
    await expect(tab.getByRole('tab', { name: /^Waiting, 2$/ }).count()).resolves.toBe(1);
    await expect(tab.getByRole('tab', { name: /^Mine, 1$/ }).count()).resolves.toBe(1);
    const log = await hostLog(page);
    expect(log.funcs).toEqual(
      expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']),
    );
    await page.screenshot({ path: path.join(SHOTS, 'inbox-list.png') });
  });

  it('filters by list and searches by number or words', async () => {
    await tab.getByRole('tab', { name: /^Mine/ }).click();
    await eventually('the Mine list', async () => (await row(ids['waiting'] as string).count()) === 0);
    await row(ids['other'] as string).waitFor();
    await tab.getByRole('tab', { name: /^Waiting/ }).click();
    await tab.getByRole('searchbox').fill('parcel 4711');
    await eventually(
      'only the matching conversation',
      async () => (await row(ids['other'] as string).count()) === 0,
    );
    await row(ids['waiting'] as string).waitFor();
    await tab.getByRole('searchbox').fill('');
    await row(ids['other'] as string).waitFor();
  });

  it('opens a transcript, claims it and replies; the reply reaches the provider', async () => {
    await row(ids['waiting'] as string).click();
    await tab.getByRole('list', { name: 'Messages' }).getByText('Where is parcel 4711?').waitFor();
    await tab.getByRole('button', { name: 'Claim', exact: true }).click();
    await tab.getByRole('button', { name: 'Unassign', exact: true }).waitFor();
    await tab.getByRole('textbox', { name: 'Reply to the customer' }).fill('It left the warehouse today.');
    await tab.getByText('GSM-7 · 1 SMS part').waitFor();
    await tab.getByRole('button', { name: 'Send', exact: true }).click();
    await eventually('Sinch got the reply', () =>
      h.sinch.sent.some((s) => s.content === 'It left the warehouse today.'),
    );
    // The status moves on in place (live update of the open conversation).
    await tab.getByRole('list', { name: 'Messages' }).getByText('Sent', { exact: true }).waitFor();
    await tab.getByRole('button', { name: 'Open in Teams', exact: true }).click();
    await eventually('the deep link', async () => (await hostLog(page)).deepLink);
    expect((await hostLog(page)).deepLink).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/message\//);
  });

  it('shows a new customer within a second of the webhook, without a reload', async () => {
    const before = Date.now();
    const id = await h.customerTexts('+61491571003', SUPPORT.number, 'Live update, please');
    await row(id).waitFor({ timeout: 5_000 });
    expect(Date.now() - before).toBeLessThan(3_000);
  });

  it('follows the Teams theme and passes axe-core without serious or critical findings in each', async () => {
    // Each Teams theme, with the page background its Fluent theme sets.
    const themes = [
      ['default', 'light', 'rgb(255, 255, 255)'],
      ['dark', 'dark', 'rgb(41, 41, 41)'],
      ['contrast', 'contrast', 'rgb(0, 0, 0)'],
    ] as const;
    for (const [theme, name, background] of themes) {
      await setTheme(page, theme);
      await eventually(
        `the ${theme} theme`,
        async () => (await tab.evaluate('document.documentElement.dataset.theme')) === theme,
      );
      expect(
        await tab.evaluate("getComputedStyle(document.querySelector('.fui-FluentProvider')).backgroundColor"),
      ).toBe(background);
      const results = await new AxeBuilder({ page })
        .include('iframe#tab')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
        // Fluent's focus-trap helpers: a known false positive (microsoft/fluentui#27517).
        .exclude(['iframe#tab', '[data-tabster-dummy]'])
        .analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        bad.map((v) => `${theme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `inbox-${name}.png`) });
    }
    await setTheme(page, 'default');
  });

  it('opens the New conversation dialog, checks the number as typed, and sends', async () => {
    await tab.getByRole('button', { name: 'New conversation', exact: true }).click();
    const dialog = await frameOf(page, '/tab/new');
    const number = dialog.getByRole('textbox', { name: /Customer's number/ });
    await number.fill('12345');
    await dialog.getByText(/is not a valid phone number/).waitFor();
    await expect(dialog.getByRole('button', { name: 'Send', exact: true }).isDisabled()).resolves.toBe(true);
    await number.fill('+61 491 571 009');
    await dialog.getByText('Texted as +61491571009').waitFor();
    await dialog
      .getByRole('textbox', { name: /Message/ })
      .fill('Hello from the Inbox — your order is ready.');
    await dialog.getByText(/UCS-2 · 1 SMS part/).waitFor();
    await expect(dialog.getByRole('button', { name: 'Send', exact: true }).isEnabled()).resolves.toBe(true);
    const axe = await new AxeBuilder({ page })
      .include('#dlg iframe')
      .withTags(['wcag2a', 'wcag2aa'])
      .exclude(['#dlg iframe', '[data-tabster-dummy]'])
      .analyze();
    expect(
      axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'new-conversation.png') });
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    const result = (await eventually(
      'the dialog to close with its result',
      async () => (await hostLog(page)).dialogResult,
    )) as {
      status: string;
      conversationId: string;
    };
    expect(result.status).toBe('queued');
    await eventually('Sinch got the first message', () =>
      h.sinch.sent.some((s) => s.content === 'Hello from the Inbox — your order is ready.'),
    );
    // The tab opens the new conversation.
    await tab.getByRole('heading', { name: '+61491571009' }).waitFor();
  });

  it('saves the channel tab from its configuration page', async () => {
    const config = await openInHost(context, h.url, {
      tab: '/tab/config',
      token: await h.token(),
      frameContext: 'settings',
      user: { oid: ALEX.oid, tid: TENANT, upn: 'alex@contoso.test' },
      channel: {
        teamId: SUPPORT.team,
        channelId: SUPPORT.channel,
        groupId: '7b1b2b6a-0000-4000-8000-000000000001',
      },
    });
    await config.tab.getByText('textbridge Inbox for this channel').waitFor();
    await eventually('the page to say it is valid', async () =>
      (await hostLog(config.page)).funcs.includes('settings.setValidityState'),
    );
    await config.page.evaluate('__save()');
    const saved = await eventually('the saved tab', async () => (await hostLog(config.page)).settings);
    expect(saved).toMatchObject({
      entityId: 'textbridge-inbox',
      contentUrl: `${h.url}/tab/inbox?scope=channel`,
      suggestedDisplayName: 'Inbox',
    });
    await config.page.close();
  });

  it('shows only its own channel’s conversations in a channel tab', async () => {
    const channelTab = await openInHost(context, h.url, {
      tab: '/tab/inbox?scope=channel',
      token: await h.token(),
      user: { oid: ALEX.oid, tid: TENANT, upn: 'alex@contoso.test' },
      channel: {
        teamId: SALES.team,
        channelId: SALES.channel,
        groupId: '7b1b2b6a-0000-4000-8000-000000000002',
      },
    });
    await channelTab.tab.locator(`[data-conversation="${ids['other']}"]`).waitFor();
    expect(await channelTab.tab.locator(`[data-conversation="${ids['waiting']}"]`).count()).toBe(0);
    await channelTab.page.close();
  });
});
