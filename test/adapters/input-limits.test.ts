/** The input limits, one linear pass each: what they refuse and what they let through untouched. */
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, jsonLimitProblem, xmlLimitProblem } from '../../adapters/input-limits.ts';

const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('JSON limits', () => {
  it.each([
    [
      'a Sinch inbound',
      '{"reply_id":"r1","source_number":"+61491570156","content":"Hi \\"there\\" \\\\","metadata":{"a":[1,2,{"b":null}]}}',
    ],
    ['32 levels', deepObject(32)],
    ['escaped quotes and braces inside strings', '{"a":"{[{[\\"}]}]","b":"\\\\"}'],
    ['broken JSON (JSON.parse refuses it)', '{"a": [1, 2'],
    ['not JSON at all', 'hello <xml>'],
  ])('lets %s through', (_name, text) => {
    expect(jsonLimitProblem(text)).toBeUndefined();
  });

  it.each([
    ['33 levels of objects', deepObject(33), 'nested deeper than 32 levels'],
    ['100,000 levels of arrays', deepArray(100_000), 'nested deeper than 32 levels'],
    ['a huge key', `{"${'k'.repeat(INPUT_LIMITS.maxKey + 1)}":1}`, 'a key of 257 characters'],
    ['a huge array', `[${'1,'.repeat(INPUT_LIMITS.maxItems)}1]`, `more than ${INPUT_LIMITS.maxItems} items`],
    [
      'too many keys',
      `{${Array.from({ length: INPUT_LIMITS.maxMembers + 1 }, (_, i) => `"k${i}":1`).join(',')}}`,
      'more than',
    ],
    ['a duplicate key', '{"content":"hi","content":"evil"}', 'appears twice'],
    ['a duplicate key written with an escape', '{"ab":1,"\\u0061b":2}', 'appears twice'],
    ['__proto__', '{"__proto__":{"admin":true}}', '"__proto__" is not accepted'],
    ['__proto__ written with escapes', '{"\\u005f_proto__":{}}', '"__proto__" is not accepted'],
    ['constructor', '{"a":{"constructor":{"prototype":1}}}', '"constructor" is not accepted'],
    ['an escaped NUL', '{"source_number":"+6149\\u00001570156"}', 'NUL'],
    ['a raw NUL', '{"a":1}\u0000', 'NUL'],
  ])('refuses %s', (_name, text, why) => {
    expect(jsonLimitProblem(text)).toContain(why);
  });

  it('bounds string values by maxString (the body limit comes first; an MMS may carry a picture inline)', () => {
    const limits = { ...INPUT_LIMITS, maxString: 100 };
    expect(jsonLimitProblem(`{"a":"${'x'.repeat(100)}"}`, limits)).toBeUndefined();
    expect(jsonLimitProblem(`{"a":"${'x'.repeat(101)}"}`, limits)).toContain('longer than the limit of 100');
  });

  it('takes the same keys in sibling objects', () => {
    expect(jsonLimitProblem('[{"a":1},{"a":2}]')).toBeUndefined();
  });
});

describe('XML limits', () => {
  const sms =
    '<?xml version="1.0"?><sms><smsId>1</smsId><src>+4917622222222</src><!-- hi --><text><![CDATA[<b>&]]></text></sms>';

  it('lets a Retarus inbound push through, declaration, comment and CDATA included', () => {
    expect(xmlLimitProblem(sms)).toBeUndefined();
  });

  it.each([
    [
      'a DOCTYPE with an external entity',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      'DOCTYPE',
    ],
    [
      'a billion laughs',
      `<!DOCTYPE l [<!ENTITY a "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY b${i} "&a;&a;&a;">`).join('')}]><l>&b8;</l>`,
      'DOCTYPE',
    ],
    ['a <__proto__> element', '<sms><__proto__><polluted>1</polluted></__proto__></sms>', '<__proto__>'],
    ['a namespaced constructor', '<sms><x:constructor xmlns:x="u">1</x:constructor></sms>', '<constructor>'],
    ['33 levels', `${'<a>'.repeat(33)}${'</a>'.repeat(33)}`, 'nested deeper than 32'],
    ['100,000 levels', `${'<a>'.repeat(100_000)}`, 'nested deeper than 32'],
    ['too many elements', `<r>${'<a/>'.repeat(INPUT_LIMITS.maxMembers + 1)}</r>`, 'more than'],
    ['a huge tag', `<r ${'a="1" '.repeat(1000)}/>`, 'longer than 4096'],
    ['a NUL', '<r>\u0000</r>', 'NUL'],
  ])('refuses %s', (_name, text, why) => {
    expect(xmlLimitProblem(text)).toContain(why);
  });
});
