// A shared contact card as the engine shows it: Signal's numeric field types as names, absent
// strings as null. Pure.
import type { ContactField as WireField, PostalAddress, SharedContact as WireContact } from '../proto/index.js';
import type { ContactAddress, ContactField, SharedContact } from './inboxEntry.js';

const FIELD_TYPES: Record<number, ContactField['type']> = { 1: 'HOME', 2: 'MOBILE', 3: 'WORK', 4: 'CUSTOM' };
const ADDRESS_TYPES: Record<number, ContactAddress['type']> = { 1: 'HOME', 2: 'WORK', 3: 'CUSTOM' };

export function sharedContactOf(card: WireContact): SharedContact {
  const name = card.name ?? {};
  return {
    name: {
      given: name.givenName || null,
      family: name.familyName || null,
      prefix: name.prefix || null,
      suffix: name.suffix || null,
      middle: name.middleName || null,
      nickname: name.nickname || null,
    },
    phone: fields(card.number),
    email: fields(card.email),
    address: (card.address ?? []).map(addressOf),
    organization: card.organization || null,
  };
}

function fields(list: WireField[] | undefined): ContactField[] {
  return (list ?? []).filter((f) => f.value).map((f) => ({ value: f.value!, type: FIELD_TYPES[f.type ?? 1] ?? 'CUSTOM', label: f.label || null }));
}

function addressOf(a: PostalAddress): ContactAddress {
  return {
    type: ADDRESS_TYPES[a.type ?? 1] ?? 'CUSTOM',
    label: a.label || null,
    street: a.street || null,
    pobox: a.pobox || null,
    neighborhood: a.neighborhood || null,
    city: a.city || null,
    region: a.region || null,
    postcode: a.postcode || null,
    country: a.country || null,
  };
}
