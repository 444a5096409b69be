/** The Inbox tab: the lists with their counts, search, the selected conversation, live updates. */
import {
  Button,
  Caption1,
  CounterBadge,
  makeStyles,
  SearchBox,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useMemo, useRef, useState } from 'react';
import { INBOX_STATES, type InboxState, type NewConversationResult } from '../../../bot/inbox/wire.ts';
import type { Api } from '../api.ts';
import { STATE_LABELS } from '../format.ts';
import type { Host } from '../host.ts';
import { followChanges } from '../live.ts';
import { ConversationList } from './conversation-list.tsx';
import { ConversationView } from './conversation-view.tsx';
import { useConversations } from './use-conversations.ts';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: '8px 16px',
    padding: '8px 12px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  grow: { flexGrow: 1 },
  split: { display: 'grid', gridTemplateColumns: 'minmax(260px, 380px) 1fr', flexGrow: 1, minHeight: 0 },
  side: { overflowY: 'auto', borderRight: `1px solid ${tokens.colorNeutralStroke2}` },
  main: { minHeight: 0, minWidth: 0 },
  placeholder: { padding: '24px', color: tokens.colorNeutralForeground3 },
  live: { color: tokens.colorNeutralForeground3 },
});

const EMPTY: Record<InboxState, string> = {
  waiting: 'Nobody is waiting for an answer.',
  mine: 'You have claimed no open conversation.',
  unassigned: 'Every open conversation is claimed.',
  failed: 'No message failed.',
  resolved: 'No conversation is resolved yet.',
};

export function InboxApp({ api, host, channel }: { api: Api; host: Host; channel?: string }) {
  const s = useStyles();
  const [state, setState] = useState<InboxState>('waiting');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string>();
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState(false);
  const list = useConversations(api, state, q, channel);

  // Search as you type, once typing pauses.
  useEffect(() => {
    const t = setTimeout(() => setQ(typed), 250);
    return () => clearTimeout(t);
  }, [typed]);

  // Live updates: refresh the list (and the open conversation) when something changed.
  const refs = useRef({ list, selected });
  refs.current = { list, selected };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => refs.current.list.refresh(), 100);
    };
    const stop = followChanges(api, channel, {
      change(ids) {
        if (ids.length === 0) return;
        refreshSoon();
        if (refs.current.selected && ids.includes(refs.current.selected)) setVersion((v) => v + 1);
      },
      reset() {
        refreshSoon();
        setVersion((v) => v + 1);
      },
      status: setLive,
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [api, channel]);

  const newConversation = async () => {
    const result = (await host.openDialog('/tab/new', 'New conversation')) as
      | NewConversationResult
      | undefined;
    if (result?.conversationId) setSelected(result.conversationId);
    list.refresh();
  };

  const counts = list.counts;
  const tabs = useMemo(
    () =>
      INBOX_STATES.map((st) => (
        <Tab key={st} value={st} aria-label={`${STATE_LABELS[st]}${counts ? `, ${counts[st]}` : ''}`}>
          {STATE_LABELS[st]}{' '}
          {counts && (
            <CounterBadge count={counts[st]} showZero size="small" appearance="ghost" color="informative" />
          )}
        </Tab>
      )),
    [counts],
  );

  return (
    <div className={s.root}>
      <div className={s.bar}>
        <TabList
          selectedValue={state}
          onTabSelect={(_, d) => setState(d.value as InboxState)}
          aria-label="Lists"
        >
          {tabs}
        </TabList>
        <span className={s.grow} />
        <SearchBox
          aria-label="Search by number, name or text"
          placeholder="Number, name or text"
          value={typed}
          onChange={(_, d) => setTyped(d.value)}
        />
        <Button appearance="primary" onClick={() => void newConversation()}>
          New conversation
        </Button>
        <Caption1 className={s.live} aria-live="polite">
          {live ? 'Live' : 'Reconnecting…'}
        </Caption1>
      </div>
      <div className={s.split}>
        <nav className={s.side} aria-label={`${STATE_LABELS[state]} conversations`}>
          <ConversationList
            list={list}
            selected={selected}
            onSelect={setSelected}
            emptyText={q ? `Nothing in ${STATE_LABELS[state]} matches "${q}".` : EMPTY[state]}
          />
        </nav>
        <main className={s.main}>
          {selected ? (
            <ConversationView
              api={api}
              host={host}
              id={selected}
              version={version}
              onChanged={list.refresh}
            />
          ) : (
            <Text className={s.placeholder} as="p">
              Pick a conversation to read it, claim it and answer.
            </Text>
          )}
        </main>
      </div>
    </div>
  );
}
