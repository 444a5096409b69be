/**
 * The longest text an agent can write anywhere: a card's Reply box, the Inbox, `text`. It is the
 * most any provider takes (Sinch: 5,000 characters); the provider and channel of the message
 * then hold it to their own limit before anything is queued (bot/text-fit.ts), with a message
 * that says which limit and by how much, instead of a box that silently stops taking characters.
 */
export const MAX_AGENT_TEXT = 5000;
