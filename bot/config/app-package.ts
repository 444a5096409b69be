/**
 * What `npm run package` needs, and nothing more: the manifest names the bot (MicrosoftAppId), the
 * app (TEAMS_APP_ID) and the valid domain (PUBLIC_URL). A build pipeline has those and no secret.
 */
import type { EnvReader } from './reader.ts';

export interface AppPackageConfig {
  bot: { appId: string };
  teamsAppId?: string;
  publicUrl?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readAppPackage(env: EnvReader): AppPackageConfig {
  const appId = env.get('MicrosoftAppId') ?? '';
  if (!appId) {
    env.problem(
      'MicrosoftAppId',
      "is not set: a Teams app package needs the Azure Bot's app id (the bot id in the manifest)",
    );
  } else if (!GUID.test(appId)) {
    env.problem('MicrosoftAppId', `must be the Azure Bot's app id (a GUID), got "${appId}"`);
  }
  const teamsAppId = env.get('TEAMS_APP_ID');
  if (teamsAppId !== undefined && !GUID.test(teamsAppId)) {
    env.problem('TEAMS_APP_ID', `must be a GUID (the Teams app id), got "${teamsAppId}"`);
  }
  const publicUrl = env.url('PUBLIC_URL');
  return { bot: { appId }, teamsAppId: teamsAppId ?? (appId || undefined), publicUrl };
}
