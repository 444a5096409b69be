import { describe, expectTypeOf, it } from 'vitest';
import type {
  Contact,
  DeliveryStatus,
  MediaItem,
  MessageChannel,
  MessageTemplate,
  ProviderId,
} from '../../adapters/types.ts';
import type {
  CardChannel,
  CardContact,
  CardMedia,
  CardProvider,
  CardStatus,
  CardTemplate,
} from '../../cards/index.ts';

// cards/ keeps its own copies of these unions so it never imports adapters/; this keeps them equal.
describe('card types', () => {
  it('match the normalized model', () => {
    expectTypeOf<CardProvider>().toEqualTypeOf<ProviderId>();
    expectTypeOf<CardChannel>().toEqualTypeOf<MessageChannel>();
    // A card also shows a send whose outcome is not known (MessageStatus 'unconfirmed').
    expectTypeOf<CardStatus>().toEqualTypeOf<DeliveryStatus | 'unconfirmed'>();
    expectTypeOf<MediaItem>().toExtend<CardMedia>();
    expectTypeOf<Contact>().toExtend<CardContact>();
    expectTypeOf<Omit<Contact, 'raw'>>().toEqualTypeOf<CardContact>();
    expectTypeOf<MessageTemplate>().toExtend<CardTemplate>();
    expectTypeOf<Omit<MessageTemplate, 'raw'>>().toEqualTypeOf<CardTemplate>();
  });
});
