/** The customer's number, checked by the bot (libphonenumber) as it is typed, once typing pauses. */
import { useEffect, useState } from 'react';
import type { NumberCheck } from '../../../bot/inbox/wire.ts';
import type { Api } from '../api.ts';

export function useNumberCheck(api: Api, typed: string): NumberCheck {
  const [check, setCheck] = useState<NumberCheck>({});
  useEffect(() => {
    if (!typed.trim()) {
      setCheck({});
      return undefined;
    }
    let current = true;
    const t = setTimeout(() => {
      api.get<NumberCheck>(`numbers/check?number=${encodeURIComponent(typed)}`).then(
        (c) => current && setCheck(c),
        (err: unknown) => current && setCheck({ error: (err as Error).message }),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [api, typed]);
  return check;
}
