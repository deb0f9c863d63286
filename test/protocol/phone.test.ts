/** Phone numbers of callback requests: German and international spellings to E.164, and what is refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalisePhone } from '../../src/protocol/phone.js';

test('German and international spellings become E.164', () => {
  const cases: [string, string][] = [
    ['030 1234567', '+49301234567'],
    ['(030) 123 45-67', '+49301234567'],
    ['030/1234567', '+49301234567'],
    ['0151 23456789', '+4915123456789'],
    ['+49 30 1234567', '+49301234567'],
    ['+49 (0)30 1234567', '+49301234567'],
    ['0049 30 1234567', '+49301234567'],
    ['+43 1 234567', '+431234567'],
    ['+1 (212) 555-0100', '+12125550100'],
  ];
  for (const [input, expected] of cases) assert.equal(normalisePhone(input), expected, input);
});

test('what is no phone number is refused', () => {
  for (const input of [
    '',
    '12345',
    '1234567890',
    '030',
    '+49 0301234567',
    '+49 30 12',
    '+4930123456789012',
    'call me',
    '030 1234567 ext 5',
    '+0 123456789',
    '0'.repeat(40),
  ])
    assert.equal(normalisePhone(input), undefined, input);
});
