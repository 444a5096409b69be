export {
  CARD_VERBS,
  type CardActionData,
  type CardVerb,
  type ExecuteAction,
  REPLY_INPUT_ID,
  type SubmitAction,
} from './actions.ts';
export { ADAPTIVE_CARD_CONTENT_TYPE, type CardAttachment, toAttachment } from './attachment.ts';
export { type ContactCardData, renderContactCard } from './contact.ts';
export {
  type CustomerThreadCardData,
  renderCustomerThreadCard,
  type ThreadState,
} from './customer-thread.ts';
export { type ErrorCardData, renderErrorCard } from './error.ts';
export { type FoldedMessage, foldedBlock, withFolded } from './folded.ts';
export { DEFAULT_HELP_COMMANDS, type HelpCardData, type HelpCommand, renderHelpCard } from './help.ts';
export { type InboundMessageCardData, renderInboundMessageCard } from './inbound-message.ts';
export { type JobCardData, type JobRecipient, renderJobCard } from './job.ts';
export { type JobsCardData, renderJobsCard } from './jobs.ts';
export { type LinkRoute, type LinksCardData, renderLinksCard } from './links.ts';
export { NEW_CONVERSATION_KIND, renderNewConversationCard } from './new-conversation.ts';
export {
  type NoticeCardData,
  type NoticeFact,
  type NoticeStyle,
  renderNoticeCard,
} from './notice.ts';
export {
  type OutboundMessageCardData,
  RETRYABLE_STATUSES,
  renderOutboundMessageCard,
  type TimelineEntry,
} from './outbound-message.ts';
export { countSegments, describeSegments, type SegmentCount, type SmsEncoding } from './segments.ts';
export { renderSendPreviewCard, type SendPreviewCardData } from './send-preview.ts';
export { type CardSender, type ProviderSenders, renderSendersCard, type SendersCardData } from './senders.ts';
export { renderStatusCard, type StatusCardData, type StatusTimelineEntry } from './status.ts';
export { renderTemplatesCard, type TemplatesCardData } from './templates.ts';
export type {
  AdaptiveCard,
  CardChannel,
  CardContact,
  CardMedia,
  CardProvider,
  CardStatus,
  CardTemplate,
} from './types.ts';
export { type ProviderVersion, renderVersionCard, type VersionCardData } from './version.ts';
export { renderWelcomeCard, type WelcomeCardData } from './welcome.ts';
