import { describe, expect, it } from 'vitest';
import { type CommandSpec, UsageError, helpText, parseArgs } from './args.ts';

const spec: CommandSpec = {
  name: 'prog',
  help: 'test program',
  options: [],
  commands: [
    {
      name: 'pay',
      help: 'pay someone',
      options: [
        { long: 'dest', short: 'd', help: 'destination key', required: true },
        { long: 'amount', short: 'a', help: 'amount' },
        { long: 'balance', help: 'initial balance' },
        { long: 'yes', short: 'y', flag: true, help: 'do not ask' },
      ],
    },
    { name: 'info', help: 'show', options: [], commands: [{ name: 'friends', help: 'list friends', options: [] }] },
  ],
};

describe('parseArgs', () => {
  it('reads long, short, --name=value and flag options after a subcommand', () => {
    const p = parseArgs(spec, ['pay', '--dest', 'abc', '-a', '50', '--balance=-100', '-y']);
    expect(p.path).toEqual(['pay']);
    expect(Object.fromEntries(p.values)).toEqual({ dest: 'abc', amount: '50', balance: '-100' });
    expect([...p.flags]).toEqual(['yes']);
  });

  it('takes a value that starts with a dash when it names no option (base64url keys, negative balances)', () => {
    const p = parseArgs(spec, ['pay', '-d', '-Xyz0_key', '--balance', '-100']);
    expect(p.values.get('dest')).toBe('-Xyz0_key');
    expect(p.values.get('balance')).toBe('-100');
  });

  it('refuses an option word where a value belongs', () => {
    expect(() => parseArgs(spec, ['pay', '--dest', '--amount', '5'])).toThrow(/--dest needs a value/);
    expect(() => parseArgs(spec, ['pay', '--dest', '-y'])).toThrow(UsageError);
  });

  it.each([
    ['an unknown option', ['pay', '--dest', 'k', '--nope'], /unknown option --nope/],
    ['a missing required option', ['pay', '-a', '1'], /missing required option --dest/],
    ['an option given twice', ['pay', '-d', 'k', '--dest', 'j'], /given twice/],
    ['a value for a flag', ['pay', '-d', 'k', '--yes=1'], /takes no value/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a missing subcommand', ['info'], /missing command after 'info'/],
    ['a stray argument', ['info', 'friends', 'extra'], /unexpected argument 'extra'/],
  ])('rejects %s', (_name, argv, message) => {
    expect(() => parseArgs(spec, argv)).toThrow(message);
  });

  it('reads nested subcommands and lets --help and -V skip the required checks', () => {
    expect(parseArgs(spec, ['info', 'friends']).path).toEqual(['info', 'friends']);
    expect(parseArgs(spec, ['pay', '--help']).help).toBe(true);
    expect(parseArgs(spec, ['-V']).version).toBe(true);
  });

  it('lists the commands and options of the selected command in its help', () => {
    expect(helpText('prog', spec, [])).toMatch(/pay\s+pay someone/);
    const pay = helpText('prog', spec, ['pay']);
    expect(pay).toMatch(/-d, --dest <value>\s+destination key \(required\)/);
    expect(pay).toMatch(/-y, --yes\s+do not ask/);
  });
});
