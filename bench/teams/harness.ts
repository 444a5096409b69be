/**
 * The bot in this process against the fake Bot Connector (throttling at Teams' documented limits)
 * and the fake Sinch, for the Teams scenarios: it drives the bot as Teams and Sinch do, over HTTP
 * on loopback, and reads what the channels show.
 */
import { DOCUMENTED_LIMITS, type FakeWrite, type ThrottleLimits } from '../../test/fakes/bot-connector.ts';
import { cardText } from '../../test/helpers/cards.ts';
import { type Harness, postWebhook, startSinchHarness } from '../../test/helpers/sinch-app.ts';
import { channelMessage, postActivity } from '../../test/helpers/teams-activity.ts';
import { eventually } from '../../test/helpers/wait.ts';

export interface TeamsBench {
  h: Harness;
  /** Links `business` to channel `channelId`, as an agent typing `link sinch <number>` there. */
  link(channelId: string, business: string): Promise<void>;
  /** A customer's text, as Sinch posts it. */
  inbound(from: string, to: string, text: string): Promise<number>;
  /** An agent's answer in a customer's thread, mentioning the bot. */
  reply(conversationId: string, text: string): Promise<number>;
  /** Every line of every card the channels show now. */
  shownLines(): Set<string>;
  /** Cards shown now, with their text. */
  shown(): Array<FakeWrite & { text: string }>;
  close(): Promise<void>;
}

export interface TeamsBenchOptions {
  /** TEAMS_RATE_LIMIT (documented: 60 per 30 s). */
  teamsRatePer30s?: number;
  /** SINCH_RATE_LIMIT, calls a minute (default of the bot: 100). */
  sinchRatePerMinute?: number;
  throttle?: ThrottleLimits;
}

export async function startTeamsBench(options: TeamsBenchOptions = {}): Promise<TeamsBench> {
  const h = await startSinchHarness(
    {
      TEAMS_RATE_LIMIT: String(options.teamsRatePer30s ?? 60),
      SINCH_RATE_LIMIT: String(options.sinchRatePerMinute ?? 100),
    },
    { connector: { throttle: options.throttle ?? DOCUMENTED_LIMITS } },
  );
  const shown = () => h.connector.shown().map((w) => ({ ...w, text: cardText(w.activity) }));
  return {
    h,
    async link(channelId, business) {
      const before = h.connector.posts.length;
      const activity = channelMessage({
        serviceUrl: h.connector.serviceUrl,
        text: `link sinch ${business}`,
        sender: { channel: { id: channelId, name: channelId.slice(3, 12) } },
      });
      if ((await postActivity(h.url, activity)) !== 200) throw new Error(`link ${business} failed`);
      await eventually('the link', () =>
        h.connector.posts.slice(before).some((p) => cardText(p.activity).includes('linked')),
      );
    },
    async inbound(from, to, text) {
      return (await postWebhook(h.url, h.sinch.inboundBody({ from, to, text }))).status;
    },
    reply(conversationId, text) {
      // Typed in the thread, so in the thread's own channel.
      const channel = conversationId.split(';messageid=')[0] ?? conversationId;
      const sender = { channel: { id: channel, name: channel.slice(3, 12) } };
      return postActivity(
        h.url,
        channelMessage({ serviceUrl: h.connector.serviceUrl, conversationId, text, sender }),
      );
    },
    shownLines() {
      return new Set(shown().flatMap((c) => c.text.split('\n')));
    },
    shown,
    close: () => h.close(),
  };
}

/** Samples `read` every `everyMs` until `done`; the samples, in seconds since `start`. */
export async function sample(
  start: number,
  read: () => number,
  done: () => boolean,
  timeoutMs: number,
  everyMs = 200,
): Promise<Array<[number, number]>> {
  const points: Array<[number, number]> = [[(Date.now() - start) / 1000, read()]];
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    points.push([(Date.now() - start) / 1000, read()]);
  }
  points.push([(Date.now() - start) / 1000, read()]);
  return points;
}
