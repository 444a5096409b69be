/** A conversation's messages and notes, oldest first: the customer left, agents right, notes marked. */
import { Badge, Caption1, makeStyles, mergeClasses, Text, Tooltip, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { TranscriptEntry } from '../../../bot/inbox/wire.ts';
import { fullTime, STATUS_LABELS, shortTime } from '../format.ts';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: '12px',
    display: 'flex',
    flexDirection: 'column',
    gap: '10px',
  },
  entry: {
    maxWidth: '75%',
    padding: '8px 12px',
    borderRadius: tokens.borderRadiusLarge,
    display: 'flex',
    flexDirection: 'column',
    gap: '4px',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  inbound: { alignSelf: 'flex-start', backgroundColor: tokens.colorNeutralBackground3 },
  outbound: { alignSelf: 'flex-end', backgroundColor: tokens.colorBrandBackground2 },
  note: {
    alignSelf: 'center',
    backgroundColor: tokens.colorPaletteYellowBackground1,
    border: `1px dashed ${tokens.colorPaletteYellowBorder2}`,
  },
  meta: {
    display: 'flex',
    gap: '6px',
    alignItems: 'center',
    flexWrap: 'wrap',
    color: tokens.colorNeutralForeground2,
  },
  reason: { color: tokens.colorPaletteRedForeground1 },
});

const FAILED = new Set(['failed', 'expired', 'rejected', 'cancelled']);

function StatusBadge({ entry }: { entry: TranscriptEntry }) {
  if (!entry.status) return null;
  const label = STATUS_LABELS[entry.status] ?? entry.status;
  const history = (entry.timeline ?? [])
    .map((t) => `${STATUS_LABELS[t.status] ?? t.status} ${fullTime(t.at)}`)
    .join('; ');
  const color = FAILED.has(entry.status) ? 'danger' : entry.status === 'queued' ? 'subtle' : 'success';
  return (
    <Tooltip content={history || label} relationship="description">
      <Badge appearance="tint" color={color} tabIndex={0}>
        {label}
      </Badge>
    </Tooltip>
  );
}

function who(e: TranscriptEntry): string {
  if (e.kind === 'inbound') return 'Customer';
  if (e.kind === 'note') return `Internal note by ${e.author ?? 'an agent'}`;
  return e.author ?? 'Agent';
}

export function Transcript({ entries }: { entries: TranscriptEntry[] }) {
  const s = useStyles();
  const end = useRef<HTMLLIElement>(null);
  // Keeps the newest message in view as messages arrive.
  // biome-ignore lint/correctness/useExhaustiveDependencies: entries.length is the signal
  useEffect(() => {
    // Newer browsers return a promise here; an effect must return nothing.
    void end.current?.scrollIntoView?.({ block: 'end' });
  }, [entries.length]);
  return (
    <ol className={s.list} aria-label="Messages">
      {entries.map((e) => (
        <li
          key={e.id}
          className={mergeClasses(s.entry, s[e.kind])}
          aria-label={`${who(e)}, ${fullTime(e.at)}${e.status ? `, ${STATUS_LABELS[e.status] ?? e.status}` : ''}`}
        >
          <span className={s.meta}>
            <Caption1>{who(e)}</Caption1>
            <Caption1>
              <time dateTime={e.at} title={fullTime(e.at)}>
                {shortTime(e.at)}
              </time>
            </Caption1>
            <StatusBadge entry={e} />
          </span>
          <Text>{e.text}</Text>
          {e.media?.map((m) =>
            m.url ? (
              <a key={m.url} href={m.url} target="_blank" rel="noreferrer">
                {m.name ?? m.contentType ?? 'attachment'}
              </a>
            ) : (
              <Caption1 key={`${m.name}${m.contentType}`}>{m.name ?? m.contentType ?? 'attachment'}</Caption1>
            ),
          )}
          {e.reason && <Caption1 className={s.reason}>{e.reason}</Caption1>}
          {e.retriedAs && <Caption1>Sent again as a new message.</Caption1>}
        </li>
      ))}
      <li ref={end} aria-hidden="true" />
    </ol>
  );
}
