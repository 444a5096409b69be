/** The dispatch table: every command by name. */
import { contact } from './contact.ts';
import { discussion } from './discussion.ts';
import { help } from './help.ts';
import { job } from './job.ts';
import { jobs } from './jobs.ts';
import { link } from './link.ts';
import { links } from './links.ts';
import { optin, optout } from './optout.ts';
import { senders } from './senders.ts';
import { status } from './status.ts';
import { template } from './template.ts';
import { templates } from './templates.ts';
import { text } from './text.ts';
import type { Command } from './types.ts';
import { unlink } from './unlink.ts';
import { version } from './version.ts';
import { whatsapp } from './whatsapp.ts';

export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    help,
    link,
    unlink,
    links,
    text,
    status,
    senders,
    jobs,
    job,
    version,
    contact,
    templates,
    template,
    whatsapp,
    discussion,
    optout,
    optin,
  ].map((c) => [c.name, c]),
);
