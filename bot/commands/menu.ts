/**
 * Which commands Teams suggests in the compose box, per scope (the manifest's commandLists).
 * Teams shows at most 12 per list, so each scope lists the ones its users reach for; every
 * command of the dispatch table appears in at least one list (test/manifest checks both ways).
 */
export type MenuScope = 'team' | 'personal' | 'groupChat';

export const COMMAND_MENU: Readonly<Record<MenuScope, readonly string[]>> = {
  team: [
    'help',
    'link',
    'unlink',
    'links',
    'text',
    'status',
    'senders',
    'jobs',
    'job',
    'contact',
    'templates',
    'whatsapp',
  ],
  personal: [
    'help',
    'text',
    'status',
    'template',
    'jobs',
    'job',
    'version',
    'contact',
    'templates',
    'whatsapp',
    'optout',
    'optin',
  ],
  groupChat: [
    'help',
    'text',
    'status',
    'links',
    'senders',
    'jobs',
    'discussion',
    'contact',
    'templates',
    'whatsapp',
    'optout',
    'optin',
  ],
};
