/**
 * The channel tab's configuration page: nothing to choose (the tab shows this channel's
 * conversations), so it is valid at once and saves the Inbox's URL for this channel.
 */
import { Body1, makeStyles, Subtitle2 } from '@fluentui/react-components';
import { pages } from '@microsoft/teams-js';
import { useEffect } from 'react';

const useStyles = makeStyles({
  page: { padding: '16px', display: 'flex', flexDirection: 'column', gap: '8px' },
});

export function ConfigPage() {
  const s = useStyles();
  useEffect(() => {
    if (!pages.config.isSupported()) return;
    pages.config.registerOnSaveHandler((save) => {
      pages.config
        .setConfig({
          entityId: 'textbridge-inbox',
          contentUrl: new URL('/tab/inbox?scope=channel', location.href).href,
          websiteUrl: new URL('/tab/inbox', location.href).href,
          suggestedDisplayName: 'Inbox',
        })
        .then(
          () => save.notifySuccess(),
          (err: unknown) => save.notifyFailure(String(err)),
        );
    });
    pages.config.setValidityState(true);
  }, []);
  return (
    <div className={s.page}>
      <Subtitle2 as="h1">textbridge Inbox for this channel</Subtitle2>
      <Body1 as="p">
        The tab lists the customer conversations posted in this channel: who is waiting, what is yours, what
        failed. Select Save to add it.
      </Body1>
    </div>
  );
}
