/**
 * Card-side copies of the few adapter unions the cards display. cards/ must not import adapters/
 * (dependency rule in design.md); test/cards/types.test.ts keeps the two in step.
 */

export type CardProvider = 'sinch' | 'sinch-conversation' | 'retarus' | 'smartdialog' | 'sandbox';

export type CardChannel = 'sms' | 'mms' | 'rcs' | 'whatsapp';

export type CardStatus =
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'expired'
  | 'rejected'
  | 'cancelled'
  | 'unconfirmed'
  | 'unknown';

/** What a card shows of an attachment. Never the URL: Sinch delivers MMS media as data: URLs. */
export interface CardMedia {
  name?: string;
  contentType?: string;
  /** A signed link to the stored file (GET /media/<id>); images are shown inline with it. */
  href?: string;
  /** The file was larger than MEDIA_MAX_BYTES and was not kept. */
  tooLarge?: boolean;
}

/** An Adaptive Card as plain JSON, ready for `toAttachment`. */
export interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: '1.5';
  body: unknown[];
  actions?: unknown[];
}

/** What a card shows of a SmartDialog group contact (the adapters' `Contact`, without `raw`). */
export interface CardContact {
  phone: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  gender?: 'Male' | 'Female' | 'Other';
  birthYear?: number;
  streetAddress?: string;
  zipCode?: string;
  city?: string;
  /** ISO 3166 alpha-3. */
  countryCode?: string;
  active?: boolean;
  custom?: Record<string, string>;
  regions?: string[];
}

/** What a card shows of a WhatsApp message template (the adapters' `MessageTemplate`, without `raw`). */
export interface CardTemplate {
  id: string;
  name: string;
  category?: string;
  language?: string;
  content?: string;
  /** How many {{n}} parameters its body takes. */
  parameters?: number;
}
