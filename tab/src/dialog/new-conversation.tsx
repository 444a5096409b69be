/**
 * The New conversation dialog (opened from the Inbox, the `text` command's card or a card
 * button): provider and sender from the channel's links, the number checked as typed, the SMS
 * segment count, or a WhatsApp template with its parameters. Submitting queues the message the
 * way `text` does; in Teams the dialog then closes with the result.
 */
import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Textarea,
} from '@fluentui/react-components';
import { dialog } from '@microsoft/teams-js';
import { useEffect, useMemo, useState } from 'react';
import type {
  NewConversationRequest,
  NewConversationResult,
  SenderOption,
  TemplateOption,
} from '../../../bot/inbox/wire.ts';
import { MAX_AGENT_TEXT } from '../../../cards/limits.ts';
import type { Api } from '../api.ts';
import type { Host } from '../host.ts';
import { SegmentCounter } from '../inbox/reply-box.tsx';
import { useNumberCheck } from './use-number-check.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '16px', maxWidth: '560px' },
  row: { display: 'flex', gap: '12px', '> *': { flexGrow: 1, flexBasis: 0 } },
  actions: { display: 'flex', justifyContent: 'flex-end', gap: '8px' },
});

type Mode = 'text' | 'template';

export function NewConversationDialog({ api, host, channel }: { api: Api; host: Host; channel?: string }) {
  const s = useStyles();
  const [options, setOptions] = useState<SenderOption[]>();
  const [provider, setProvider] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mode, setMode] = useState<Mode>('text');
  const [text, setText] = useState('');
  const [templates, setTemplates] = useState<TemplateOption[]>([]);
  const [template, setTemplate] = useState<TemplateOption>();
  const [params, setParams] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<NewConversationResult>();
  const [sending, setSending] = useState(false);
  const nonce = useMemo(() => crypto.randomUUID(), []);
  const number = useNumberCheck(api, to);

  useEffect(() => {
    const query = channel ? `?channel=${encodeURIComponent(channel)}` : '';
    api.get<SenderOption[]>(`senders${query}`).then(
      (list) => {
        setOptions(list);
        const first = list[0];
        if (first) {
          setProvider(first.provider);
          setFrom(first.senders[0] ?? '');
        }
      },
      (err: unknown) => setError((err as Error).message),
    );
  }, [api, channel]);

  const current = options?.find((o) => o.provider === provider);
  useEffect(() => {
    setTemplate(undefined);
    setTemplates([]);
    if (!current?.templates) {
      setMode('text');
      return;
    }
    api
      .get<TemplateOption[]>(`templates?provider=${encodeURIComponent(current.provider)}`)
      .then(setTemplates, (err: unknown) => setError((err as Error).message));
  }, [api, current]);

  const ready =
    provider &&
    from &&
    number.e164 &&
    (mode === 'text'
      ? text.trim() && text.length <= MAX_AGENT_TEXT
      : template && params.every((p) => p.trim()));

  const submit = async () => {
    if (!ready || sending || !number.e164) return;
    setSending(true);
    setError(undefined);
    const body: NewConversationRequest = {
      provider,
      from,
      to: number.e164,
      nonce,
      ...(mode === 'text'
        ? { text }
        : { template: { name: template?.name ?? '', language: template?.language, parameters: params } }),
    };
    try {
      const result = await api.post<NewConversationResult>('conversations', body);
      if (result.status === 'opted-out') {
        setError(result.message);
        return;
      }
      setDone(result);
      if (host.frameContext === 'task') dialog.url.submit(result);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(false);
    }
  };

  if (!options && !error) return <Spinner label="Loading the channel's numbers" />;
  if (done) {
    return (
      <MessageBar intent="success">
        <MessageBarBody>{done.message}</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <form
      className={s.form}
      aria-label="New conversation"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {options?.length === 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            No provider can send from here: link this channel to a number first (`link`).
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={s.row}>
        <Field label="Provider" required>
          <Dropdown
            value={provider}
            selectedOptions={[provider]}
            onOptionSelect={(_, d) => {
              const next = options?.find((o) => o.provider === d.optionValue);
              setProvider(d.optionValue ?? '');
              setFrom(next?.senders[0] ?? '');
            }}
          >
            {options?.map((o) => (
              <Option key={o.provider} value={o.provider}>
                {o.provider}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="From" required>
          <Dropdown
            value={from}
            selectedOptions={[from]}
            onOptionSelect={(_, d) => setFrom(d.optionValue ?? '')}
          >
            {current?.senders.map((sender) => (
              <Option key={sender} value={sender}>
                {sender}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <Field
        label="Customer's number"
        required
        validationState={number.error ? 'error' : number.e164 ? 'success' : 'none'}
        validationMessage={
          number.error ??
          (number.e164 ? `Texted as ${number.e164}` : 'With the country code, e.g. +61 491 570 156')
        }
      >
        <Input value={to} onChange={(_, d) => setTo(d.value)} inputMode="tel" autoComplete="off" />
      </Field>
      {current?.templates && (
        <RadioGroup
          layout="horizontal"
          value={mode}
          onChange={(_, d) => setMode(d.value as Mode)}
          aria-label="Message kind"
        >
          <Radio value="text" label="Text" />
          <Radio value="template" label="WhatsApp template" />
        </RadioGroup>
      )}
      {mode === 'text' ? (
        <Field
          label="Message"
          required
          validationState={text.length > MAX_AGENT_TEXT ? 'error' : 'none'}
          validationMessage={
            text.length > MAX_AGENT_TEXT ? `At most ${MAX_AGENT_TEXT} characters fit.` : undefined
          }
          hint={<SegmentCounter text={text} />}
        >
          <Textarea value={text} onChange={(_, d) => setText(d.value)} resize="vertical" rows={5} />
        </Field>
      ) : (
        <>
          <Field label="Template" required>
            <Dropdown
              value={template?.name ?? ''}
              selectedOptions={template ? [template.name] : []}
              onOptionSelect={(_, d) => {
                const t = templates.find((x) => x.name === d.optionValue);
                setTemplate(t);
                setParams((t?.parameters ?? []).map(() => ''));
              }}
            >
              {templates.map((t) => (
                <Option key={`${t.name}-${t.language ?? ''}`} value={t.name} text={t.name}>
                  {t.name}
                  {t.language ? ` (${t.language})` : ''}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {template?.parameters.map((p, i) => (
            <Field key={p} label={`Parameter ${p}`} required>
              <Input
                value={params[i] ?? ''}
                onChange={(_, d) => setParams(params.map((v, j) => (j === i ? d.value : v)))}
              />
            </Field>
          ))}
        </>
      )}
      <div className={s.actions}>
        <Button appearance="primary" type="submit" disabled={!ready || sending}>
          {sending ? 'Sending…' : 'Send'}
        </Button>
      </div>
    </form>
  );
}
