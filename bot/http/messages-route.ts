/**
 * POST /api/messages, the Bot Framework endpoint. The body is read within the input limits and its
 * activity checked field by field (400 saying what); with an app id the token is checked by
 * bot-token.ts (401 refused, 503 keys unreachable); then botbuilder runs the turn. botbuilder's own
 * `process` is not used: it answers 500 with internal messages for anything it did not expect.
 */
import type { Activity, ConfigurationBotFrameworkAuthentication, TeamsActivityHandler } from 'botbuilder';
import { ClaimsIdentity } from 'botframework-connector';
import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import { WebhookParseError } from '../../adapters/errors.ts';
import type { BotAuthConfig } from '../config/bot-auth.ts';
import type { TextbridgeAdapter } from '../teams/adapter.ts';
import { botTokenVerifier } from '../teams/bot-token.ts';
import { readActivity } from './activity-shape.ts';
import { limitedJson } from './body-limits.ts';
import { readJsonRequest } from './json-request.ts';

export interface MessagesDeps {
  adapter: TextbridgeAdapter;
  auth: ConfigurationBotFrameworkAuthentication;
  bot: TeamsActivityHandler;
  botAuth: BotAuthConfig;
  log: Logger;
}

/** Bot Framework activities are small (Teams caps them near 100 KB); 512 KB leaves room. */
export const ACTIVITY_LIMIT_BYTES = 512 * 1024;
/** How long the Bot Connector is asked to wait before it retries when the keys are unreachable. */
const RETRY_AFTER_S = 30;

export function messagesHandler(deps: MessagesDeps) {
  const { adapter, auth, bot, botAuth, log } = deps;
  const verify = botAuth.appId ? botTokenVerifier({ appId: botAuth.appId, token: botAuth.token }) : undefined;
  return async (req: Request, res: Response): Promise<void> => {
    const raw = await readJsonRequest(req, res, ACTIVITY_LIMIT_BYTES);
    if (!raw) return;
    const json = limitedJson(raw);
    if (!json.ok) {
      res.send(400, { error: json.error });
      return;
    }
    let activity: Activity;
    try {
      activity = readActivity(json.value);
    } catch (err) {
      if (!(err instanceof WebhookParseError)) throw err;
      res.send(400, { error: err.message });
      return;
    }
    let identity: ClaimsIdentity | undefined;
    if (verify) {
      const header = req.headers.authorization;
      const check = await verify(typeof header === 'string' ? header : undefined, {
        serviceUrl: activity.serviceUrl,
        channelId: activity.channelId,
      });
      if (!check.ok) {
        log.warn({ status: check.status, reason: check.reason }, 'Bot Framework request refused');
        if (check.status === 503) res.setHeader('retry-after', String(RETRY_AFTER_S));
        res.send(check.status, {
          error:
            check.status === 401
              ? `unauthorized: ${check.reason}`
              : 'the token cannot be checked right now; retry later',
        });
        return;
      }
      // The audience is this bot (checked); botbuilder reads it as the app id for outbound calls.
      const claims = Object.entries(check.claims)
        .filter(([claim]) => claim !== 'aud')
        .map(([claim, value]) => ({ type: claim, value: String(value) }));
      identity = new ClaimsIdentity([...claims, { type: 'aud', value: botAuth.appId }], true);
    }
    const request = identity
      ? {
          claimsIdentity: identity,
          audience: botAuth.token.outboundScope,
          callerId: botAuth.token.callerId,
          connectorFactory: auth.createConnectorFactory(identity),
        }
      : undefined;
    const invoke = await adapter.runChecked(request, activity, (turn) => bot.run(turn));
    res.send(invoke?.status ?? 200, invoke?.body);
  };
}
