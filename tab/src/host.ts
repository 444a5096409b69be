/**
 * The Teams host, through teams-js: who the user is, the theme, SSO tokens, links and dialogs.
 * Outside Teams (a browser on the bot's machine, local mode) there is no host: the tab runs
 * "standalone" and the bot answers without a token.
 */
import { app, authentication, dialog } from '@microsoft/teams-js';

export type HostMode = 'teams' | 'standalone';

export interface Host {
  mode: HostMode;
  theme: string;
  /** The Teams channel the tab sits in (a channel tab), when any. */
  channelId?: string;
  /** The frame Teams opened this page in: content (a tab), settings (configuration), task (a dialog). */
  frameContext?: string;
  token(): Promise<string | undefined>;
  onThemeChange(handler: (theme: string) => void): void;
  openLink(url: string): Promise<void>;
  /** Opens a page of this tab as a Teams dialog; resolves with what it submitted. */
  openDialog(path: string, title: string): Promise<unknown>;
  notifyReady(): void;
}

/** An iframe whose parent never answers would wait teams-js's 60 s out. */
const INIT_TIMEOUT_MS = 5_000;

export async function connectHost(): Promise<Host> {
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('the host did not answer')), INIT_TIMEOUT_MS),
      ),
    ]);
  } catch {
    return standaloneHost();
  }
  const context = await app.getContext();
  const themeHandlers: Array<(t: string) => void> = [];
  app.registerOnThemeChangeHandler((theme) => {
    for (const h of themeHandlers) h(theme);
  });
  return {
    mode: 'teams',
    theme: context.app.theme ?? 'default',
    ...(context.channel?.id ? { channelId: context.channel.id } : {}),
    frameContext: context.page.frameContext,
    token: () => authentication.getAuthToken(),
    onThemeChange: (handler) => {
      themeHandlers.push(handler);
    },
    openLink: (url) => app.openLink(url),
    openDialog: (path, title) =>
      new Promise((resolve) => {
        dialog.url.open(
          { url: new URL(path, location.href).href, title, size: { height: 620, width: 560 } },
          (r) => resolve(r.err ? undefined : r.result),
        );
      }),
    notifyReady: () => app.notifySuccess(),
  };
}

function standaloneHost(): Host {
  const dark = matchMedia('(prefers-color-scheme: dark)');
  return {
    mode: 'standalone',
    theme: dark.matches ? 'dark' : 'default',
    token: async () => undefined,
    onThemeChange: (handler) =>
      dark.addEventListener('change', (e) => handler(e.matches ? 'dark' : 'default')),
    openLink: async (url) => {
      window.open(url, '_blank', 'noopener');
    },
    openDialog: async (path) => {
      window.open(path, '_blank', 'noopener');
      return undefined;
    },
    notifyReady: () => {},
  };
}
