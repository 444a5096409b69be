/** The reply box: what the card's Reply box does, with the SMS segment count as you type. */
import { Button, Caption1, Field, makeStyles, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { MAX_AGENT_TEXT } from '../../../cards/limits.ts';
import { countSegments } from '../../../cards/segments.ts';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: '6px', padding: '12px' },
  row: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: '8px' },
});

export function SegmentCounter({ text }: { text: string }) {
  if (!text) return <Caption1 aria-live="polite"> </Caption1>;
  const count = countSegments(text);
  return (
    <Caption1 aria-live="polite">
      {text.length} characters · {count.encoding} · {count.segments} SMS part{count.segments === 1 ? '' : 's'}
    </Caption1>
  );
}

export function ReplyBox(props: { disabledReason?: string; onSend(text: string): Promise<void> }) {
  const s = useStyles();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const send = async () => {
    if (!text.trim() || sending) return;
    setSending(true);
    try {
      await props.onSend(text);
      setText('');
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(false);
    }
  };
  const tooLong = text.length > MAX_AGENT_TEXT;
  return (
    <div className={s.box}>
      <Field
        label="Reply to the customer"
        validationState={error || tooLong ? 'error' : 'none'}
        validationMessage={
          error ?? (tooLong ? `At most ${MAX_AGENT_TEXT} characters fit.` : props.disabledReason)
        }
      >
        <Textarea
          value={text}
          disabled={Boolean(props.disabledReason)}
          onChange={(_, d) => setText(d.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
          }}
          placeholder="Type your answer (Ctrl+Enter sends)"
          resize="vertical"
        />
      </Field>
      <div className={s.row}>
        <SegmentCounter text={text} />
        <Button
          appearance="primary"
          disabled={!text.trim() || sending || tooLong || Boolean(props.disabledReason)}
          onClick={() => void send()}
        >
          {sending ? 'Sending…' : 'Send'}
        </Button>
      </div>
    </div>
  );
}
