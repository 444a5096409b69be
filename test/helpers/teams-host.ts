/**
 * A stand-in for the Teams client around the Inbox tab, for browser tests (teams-tab.md §4): a
 * page on the bot's own origin that frames the tab and answers teams-js's postMessage calls
 * (initialize, getContext, the SSO token, theme changes, deep links, dialogs, the configuration
 * page's save). The page is served by Playwright on the bot's origin, so teams-js accepts it.
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';

export interface HostOptions {
  /** The tab's path, e.g. /tab/inbox. */
  tab: string;
  token: string;
  theme?: 'default' | 'dark' | 'contrast';
  /** content (a tab), settings (the configuration page). */
  frameContext?: 'content' | 'settings';
  user: { oid: string; tid: string; upn: string };
  channel?: { teamId: string; channelId: string; groupId: string };
}

export interface HostLog {
  funcs: string[];
  deepLink?: string;
  settings?: Record<string, unknown>;
  dialogResult?: unknown;
}

function hostPage(o: HostOptions): string {
  const ctx = {
    locale: 'en-us',
    theme: o.theme ?? 'default',
    hostName: 'Teams',
    hostClientType: 'web',
    entityId: 'inbox',
    userObjectId: o.user.oid,
    tid: o.user.tid,
    userPrincipalName: o.user.upn,
    loginHint: o.user.upn,
    ...(o.channel
      ? {
          teamId: o.channel.teamId,
          groupId: o.channel.groupId,
          channelId: o.channel.channelId,
          teamName: 'Support',
          channelName: 'Support',
        }
      : {}),
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Teams (test host)</title>
<style>body{margin:0}#tab{width:100vw;height:100vh;border:0}#dlg iframe{position:fixed;top:40px;left:50%;transform:translateX(-50%);width:560px;height:620px;border:1px solid #888;background:#fff}</style>
</head><body><iframe id="tab" title="Inbox"></iframe><div id="dlg"></div><script>
const mainFc = ${JSON.stringify(o.frameContext ?? 'content')};
const runtime = { apiVersion: 4, supports: { dialog: { url: {}, update: {} }, pages: { config: {}, tabs: {}, appButton: {}, backStack: {} }, teamsCore: {} } };
const ctx = ${JSON.stringify(ctx)};
let dlg = null, pendingStart = null;
window.__host = { funcs: [], token: ${JSON.stringify(o.token)} };
addEventListener('message', (e) => {
  const m = e.data; if (!m || typeof m.func !== 'string' || typeof m.id !== 'number') return;
  __host.funcs.push(m.func);
  const reply = (...args) => e.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, e.origin);
  const fc = dlg && e.source === dlg.contentWindow ? 'task' : mainFc;
  switch (m.func) {
    case 'initialize': return reply(fc, 'web', JSON.stringify(runtime), '2.0.1');
    case 'getContext': return reply({ ...ctx, frameContext: fc });
    case 'authentication.getAuthToken': return reply(true, __host.token);
    case 'executeDeepLink': __host.deepLink = m.args[0]; return reply(true);
    case 'settings.setSettings': __host.settings = m.args[0]; return reply(true);
    case 'settings.setValidityState': __host.valid = m.args[0]; return;
    case 'tasks.startTask':
      pendingStart = reply; dlg = document.createElement('iframe'); dlg.title = m.args[0].title;
      dlg.src = m.args[0].url; document.getElementById('dlg').append(dlg); return;
    case 'tasks.completeTask':
      __host.dialogResult = m.args[0]; dlg.remove(); dlg = null; pendingStart?.(undefined, m.args[0]); pendingStart = null; return;
  }
});
const tab = document.getElementById('tab');
window.__theme = (t) => tab.contentWindow.postMessage({ func: 'themeChange', args: [t] }, location.origin);
window.__save = () => tab.contentWindow.postMessage({ func: 'settings.save', args: [{}] }, location.origin);
tab.src = ${JSON.stringify(o.tab)};
</script></body></html>`;
}

/** Opens the host page at `<base>/test-host` with the tab inside; resolves with the tab's frame. */
export async function openInHost(
  context: BrowserContext,
  base: string,
  o: HostOptions,
): Promise<{ page: Page; tab: Frame }> {
  const page = await context.newPage();
  await page.route(`${base}/test-host`, (route) =>
    route.fulfill({ contentType: 'text/html', body: hostPage(o) }),
  );
  await page.goto(`${base}/test-host`);
  const tab = await frameOf(page, o.tab.split('?')[0] ?? o.tab);
  return { page, tab };
}

export async function frameOf(page: Page, path: string, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page
      .frames()
      .find((f) => f.parentFrame() && new URL(f.url() || 'about:blank', 'http://x').pathname === path);
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no frame of ${path} in the host page`);
    await page.waitForTimeout(50);
  }
}

export function hostLog(page: Page): Promise<HostLog> {
  return page.evaluate(
    '({ funcs: __host.funcs, deepLink: __host.deepLink, settings: __host.settings, dialogResult: __host.dialogResult })',
  );
}

export function setTheme(page: Page, theme: string): Promise<void> {
  return page.evaluate(`__theme(${JSON.stringify(theme)})`);
}
