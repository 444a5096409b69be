/** One conversation: who, where, its actions (claim, resolve, Teams, CSV), its transcript and the reply box. */
import {
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Subtitle2,
  Toolbar,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { ActionResult, ConversationDetail } from '../../../bot/inbox/wire.ts';
import type { Api } from '../api.ts';
import type { Host } from '../host.ts';
import { ReplyBox } from './reply-box.tsx';
import { Transcript } from './transcript.tsx';

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: '8px',
    padding: '8px 12px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  who: { display: 'flex', flexDirection: 'column' },
  scroll: { flexGrow: 1, overflowY: 'auto', minHeight: 0 },
  footer: { borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
});

export function ConversationView(props: {
  api: Api;
  host: Host;
  id: string;
  version: number;
  onChanged(): void;
}) {
  const s = useStyles();
  const { api, id, version } = props;
  const [detail, setDetail] = useState<ConversationDetail>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setDetail(await api.get<ConversationDetail>(`conversations/${encodeURIComponent(id)}`));
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [api, id]);

  // Loads on selection and again on every live change of this conversation (version).
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the reload signal
  useEffect(() => {
    void load();
  }, [load, version]);

  const act = async (action: string, body: unknown = {}) => {
    setBusy(true);
    try {
      await api.post<ActionResult>(`conversations/${encodeURIComponent(id)}/${action}`, body);
      setError(undefined);
      await load();
      props.onChanged();
    } catch (err) {
      setError((err as Error).message);
      throw err;
    } finally {
      setBusy(false);
    }
  };

  const exportCsv = async () => {
    const res = await api.fetch(`conversations/${encodeURIComponent(id)}/export.csv`);
    if (!res.ok) return setError(`The export failed (${res.status}).`);
    const name =
      /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'conversation.csv';
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    URL.revokeObjectURL(url);
    return undefined;
  };

  if (!detail) {
    return error ? (
      <MessageBar intent="error">
        <MessageBarBody>{error}</MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner label="Loading the conversation" />
    );
  }
  const c = detail.conversation;
  const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
  return (
    <div className={s.view}>
      <div className={s.header}>
        <div className={s.who}>
          <Subtitle2 as="h2">{c.customerNumber}</Subtitle2>
          <Caption1>
            {c.provider} {c.channel.toUpperCase()} to {c.businessNumber}
            {c.channelName ? ` · ${c.channelName}` : ''} · {c.state === 'resolved' ? 'Resolved' : 'Open'} ·{' '}
            {c.assignee ? `Claimed by ${c.assignedToMe ? 'you' : c.assignee}` : 'Unassigned'}
          </Caption1>
        </div>
        <Toolbar aria-label="Conversation actions">
          {c.assignedToMe ? (
            <Button disabled={busy} onClick={() => void quiet(act('unassign'))}>
              Unassign
            </Button>
          ) : (
            <Button disabled={busy} onClick={() => void quiet(act('claim'))}>
              Claim
            </Button>
          )}
          {c.state === 'resolved' ? (
            <Button disabled={busy} onClick={() => void quiet(act('reopen'))}>
              Reopen
            </Button>
          ) : (
            <Button disabled={busy} onClick={() => void quiet(act('resolve'))}>
              Resolve
            </Button>
          )}
          {detail.teamsLink && (
            <Button appearance="subtle" onClick={() => void props.host.openLink(detail.teamsLink as string)}>
              Open in Teams
            </Button>
          )}
          <Button appearance="subtle" onClick={() => void exportCsv()}>
            Export CSV
          </Button>
        </Toolbar>
      </div>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <div className={s.scroll}>
        <Transcript entries={detail.entries} />
      </div>
      <div className={s.footer}>
        <ReplyBox
          {...(c.optedOut
            ? { disabledReason: `${c.customerNumber} opted out (STOP): nothing can be sent.` }
            : {})}
          onSend={(text) => act('reply', { text, nonce: crypto.randomUUID() })}
        />
      </div>
    </div>
  );
}
