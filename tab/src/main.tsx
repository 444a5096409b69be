/**
 * The tab's one bundle: the page says which view it is (data-page on <body>): the Inbox, the
 * channel tab's configuration page, or the New conversation dialog.
 */
import { FluentProvider } from '@fluentui/react-components';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Api } from './api.ts';
import { ConfigPage } from './config/config-page.tsx';
import { NewConversationDialog } from './dialog/new-conversation.tsx';
import { connectHost, type Host } from './host.ts';
import { InboxApp } from './inbox/inbox-app.tsx';
import { fluentTheme } from './theme.ts';

function Page({ host, api }: { host: Host; api: Api }) {
  const [theme, setTheme] = useState(host.theme);
  useEffect(() => {
    host.onThemeChange(setTheme);
  }, [host]);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    host.notifyReady();
  }, [host, theme]);
  const page = document.body.dataset['page'];
  const params = new URLSearchParams(location.search);
  // A channel tab shows that channel's conversations (its context says which channel).
  const channel = params.get('scope') === 'channel' ? host.channelId : undefined;
  return (
    <FluentProvider theme={fluentTheme(theme)} style={{ minHeight: '100vh' }}>
      {page === 'config' ? (
        <ConfigPage />
      ) : page === 'new' ? (
        <NewConversationDialog api={api} host={host} channel={params.get('channel') ?? host.channelId} />
      ) : (
        <InboxApp api={api} host={host} {...(channel ? { channel } : {})} />
      )}
    </FluentProvider>
  );
}

const host = await connectHost();
const root = document.getElementById('root');
if (root) {
  createRoot(root, {
    // A bug must not leave an empty page: say so, and how to get going again.
    onUncaughtError(err) {
      console.error('the Inbox failed', err);
      root.textContent =
        'Something went wrong in the Inbox. Reload the tab to continue; the error was written to the browser console.';
    },
  }).render(
    <StrictMode>
      <Page host={host} api={new Api(host)} />
    </StrictMode>,
  );
}
