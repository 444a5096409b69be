/** The conversations of one list: newest first, more as you scroll, arrow keys move between them. */
import {
  Badge,
  Button,
  Caption1,
  makeStyles,
  mergeClasses,
  Spinner,
  Text,
  tokens,
  useArrowNavigationGroup,
} from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { ConversationSummary } from '../../../bot/inbox/wire.ts';
import { shortTime } from '../format.ts';
import type { ConversationList as ListState } from './use-conversations.ts';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  row: {
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    gap: '2px 8px',
    width: '100%',
    textAlign: 'left',
    padding: '10px 12px',
    border: 'none',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground1,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
  },
  number: { fontWeight: tokens.fontWeightSemibold },
  preview: {
    gridColumn: '1 / span 2',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    color: tokens.colorNeutralForeground2,
  },
  badges: { gridColumn: '1 / span 2', display: 'flex', gap: '4px', flexWrap: 'wrap' },
  more: { display: 'flex', justifyContent: 'center', padding: '12px' },
  empty: { padding: '24px 12px', color: tokens.colorNeutralForeground3 },
});

function describe(c: ConversationSummary): string {
  const parts = [c.customerNumber];
  if (c.waiting) parts.push('waiting for an answer');
  if (c.failed) parts.push('a message failed');
  parts.push(c.assignee ? `claimed by ${c.assignee}` : 'unassigned');
  if (c.state === 'resolved') parts.push('resolved');
  parts.push(`last message ${shortTime(c.lastAt)}`);
  return `${parts.join(', ')}: ${c.preview}`;
}

export function ConversationList(props: {
  list: ListState;
  selected?: string;
  onSelect(id: string): void;
  emptyText: string;
}) {
  const s = useStyles();
  const { list } = props;
  const arrows = useArrowNavigationGroup({ axis: 'vertical', memorizeCurrent: true });
  const sentinel = useRef<HTMLDivElement>(null);

  // Loads the next page when the end of the list scrolls into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) list.loadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [list]);

  if (list.items.length === 0 && !list.loading) {
    return <Text className={s.empty}>{list.error ?? props.emptyText}</Text>;
  }
  return (
    <>
      <ul className={s.list} {...arrows} aria-label="Conversations">
        {list.items.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className={mergeClasses(s.row, c.id === props.selected && s.selected)}
              aria-current={c.id === props.selected ? 'true' : undefined}
              aria-label={describe(c)}
              onClick={() => props.onSelect(c.id)}
              data-conversation={c.id}
            >
              <Text className={s.number}>{c.customerNumber}</Text>
              <Caption1>{shortTime(c.lastAt)}</Caption1>
              <Text className={s.preview}>
                {c.lastDirection === 'outbound' ? 'You: ' : ''}
                {c.preview}
              </Text>
              <span className={s.badges}>
                {c.waiting && (
                  <Badge appearance="tint" color="brand">
                    Waiting
                  </Badge>
                )}
                {c.failed && (
                  <Badge appearance="tint" color="danger">
                    Failed
                  </Badge>
                )}
                {c.assignee && (
                  <Badge appearance="outline" color="informative">
                    {c.assignedToMe ? 'Mine' : c.assignee}
                  </Badge>
                )}
                {c.optedOut && (
                  <Badge appearance="outline" color="warning">
                    Opted out
                  </Badge>
                )}
                {c.channelName && <Caption1>{c.channelName}</Caption1>}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div ref={sentinel} className={s.more}>
        {list.loading ? (
          <Spinner size="tiny" label="Loading conversations" />
        ) : (
          list.hasMore && (
            <Button appearance="subtle" onClick={list.loadMore}>
              Load more
            </Button>
          )
        )}
      </div>
    </>
  );
}
