/**
 * The real-browser stack of test/e2e/playground.test.ts: the bot in sandbox mode (child process),
 * the pinned Agents Playground in front of it (child process), and Debian's Chromium driven by
 * playwright-core, looking at the Playground's General channel the way an agent does.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { askBot, PLAYGROUND } from '../../bot/cli/playground-api.ts';
import { type RunningPlayground, startPlayground } from '../../bot/cli/playground-process.ts';
import { type ChildBot, startChildBot } from './child-bot.ts';
import { freePort } from './ports.ts';

/** Debian's package (`apt-get install chromium`); browsers are never downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'playground');

export interface PlaygroundStack {
  bot: ChildBot;
  playground: RunningPlayground;
  context: BrowserContext;
  page: Page;
  /** The bot's and the Playground's last output, for a failure report. */
  tails(): string;
  stop(): Promise<void>;
}

/**
 * Starts everything, opens the Playground's General channel and links it to the sandbox. Whatever
 * started is stopped again when a later step fails.
 */
export async function startPlaygroundStack(): Promise<PlaygroundStack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing. The browser test needs Debian's Chromium: apt-get install -y chromium ` +
        '(.ci/run installs it). It never downloads a browser.',
    );
  }
  const work = mkdtempSync(path.join(tmpdir(), 'textbridge-playground-'));
  const stoppers: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch((err: unknown) => console.error(err));
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const botPort = await freePort();
    const bot = await startChildBot({
      SANDBOX: '1',
      PORT: String(botPort),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(work, 'data'),
    });
    stoppers.push(() => bot.kill('SIGTERM'));
    const playground = await startPlayground({
      botEndpoint: `http://localhost:${botPort}/api/messages`,
      port: await freePort(),
      logDir: path.join(work, 'playground'),
    });
    stoppers.push(() => playground.child.stop('SIGTERM'));
    const context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1350 },
    });
    stoppers.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(playground.url);
    await page.locator('button[aria-label="My Team - General"]').click({ timeout: 30_000 });
    await page.getByText('Start a new post').waitFor({ timeout: 15_000 });
    // The page is open, so listening on the Playground's stream takes nothing away from it.
    const answer = await askBot(playground.url, 'link sandbox');
    if (!/linked|link moved/i.test(answer)) throw new Error(`"link sandbox" was answered with:\n${answer}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    return {
      bot,
      playground,
      context,
      page,
      tails: () =>
        `--- bot ---\n${bot.output().split('\n').slice(-40).join('\n')}\n--- Playground ---\n${playground.child.tail()}`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The reply box under a thread (a Lexical editor, like the channel's "Start a new post"). */
const replyBoxSelector = '[data-lexical-editor="true"]';

/** Every thread (root post with its replies and reply box) of the open channel, newest first. */
export const threads = (page: Page): Locator =>
  page
    .locator('.fui-Card')
    .filter({ has: page.locator(replyBoxSelector) })
    .filter({ hasNotText: 'Start a new post' });

/** The threads whose posts contain `text`. */
export const threadsWith = (page: Page, text: string): Locator => threads(page).filter({ hasText: text });

/** The bot's cards in a thread that contain `text`. */
export const cardsWith = (thread: Locator, text: string): Locator =>
  thread.locator('.ac-adaptiveCard').filter({ hasText: text });

/** Answers in a thread the way an agent does: type @, pick the bot, write, press Enter. */
export async function replyInThread(page: Page, thread: Locator, text: string): Promise<void> {
  // Only the thread's own reply box: the customer card may carry an input of its own.
  const box = thread.locator(replyBoxSelector);
  await box.click();
  await box.pressSequentially('@');
  await page.getByRole('menuitem', { name: PLAYGROUND.bot.name }).click({ timeout: 10_000 });
  await box.pressSequentially(` ${text}`);
  await box.press('Enter');
}

/** The delivery status a card of an agent's answer shows. */
export function statusOf(cardText: string): string {
  const statuses = ['Delivered', 'Read', 'Failed', 'Rejected', 'Expired', 'Cancelled', 'Sent', 'Queued'];
  return statuses.find((s) => new RegExp(`\\b${s}\\b`).test(cardText)) ?? 'none';
}

/** The page with the bottom of `thread` (its latest post) at the bottom of the window. */
export async function screenshot(page: Page, thread: Locator, name: string): Promise<void> {
  await thread.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
