import { fitRows } from './fit.ts';
import { compileTemplate } from './template.ts';
import { clipShort, formatCount, plural } from './text.ts';
import { cardTime } from './time.ts';
import type { AdaptiveCard } from './types.ts';

export interface JobsCardData {
  /** Start of the query window, ISO-8601. */
  from: string;
  /** End of the query window, ISO-8601. */
  to: string;
  /** true: only open jobs were asked for; false: only finished ones; absent: both. */
  open?: boolean;
  jobIds: string[];
  /** Which page this is (1 = first). */
  page?: number;
  /** The command that shows the next page, when this one was full. */
  nextPage?: string;
}

/** Most job ids listed; fewer when more would not fit the card. */
export const MAX_JOB_IDS = 50;

const expand = compileTemplate(new URL('./templates/jobs.json', import.meta.url));

/** The answer to `jobs`: the Retarus jobs received in a time window. */
export function renderJobsCard(data: JobsCardData): AdaptiveCard {
  const kind = data.open === true ? 'open ' : data.open === false ? 'finished ' : '';
  const state = data.open === true ? '● Open' : data.open === false ? '● Finished' : '';
  const title = `${capitalize(kind)}Retarus jobs`;
  const window = `Received between ${cardTime(data.from)} and ${cardTime(data.to)}`;
  return fitRows(data.jobIds, MAX_JOB_IDS, (shown, hidden) =>
    expand({
      title: data.jobIds.length === 0 ? title : `${title} (${formatCount(data.jobIds.length)})`,
      window,
      empty: `No ${kind}jobs in this window. Widen it with --from and --to (at most 30 days apart).`,
      jobs: shown.map((id) => ({ id: clipShort(id, 80), state, color: data.open ? 'Accent' : 'Good' })),
      more: [
        hidden > 0 ? `…and ${plural(hidden, 'more job')}. Narrow the window with --from and --to.` : '',
        data.nextPage ? `Page ${data.page ?? 1}; there may be more: \`${data.nextPage}\`.` : '',
      ]
        .filter(Boolean)
        .join(' '),
    }),
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
