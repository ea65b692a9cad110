// The guards before the answer pipeline: a rolling question allowance per user, a cap on answers in progress, and the
// moderator check.
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { admit, concurrencyLimit, isModerator, questionAllowance } from '../../src/bot/guards.js';

describe('questionAllowance', () => {
  it('lets a user ask 5 questions in quick succession, then makes them wait until the oldest is a minute old; no one else', () => {
    const a = questionAllowance(5);
    for (let i = 0; i < 5; i++) {
      expect(a.wait('a', i * 1000)).toBe(0);
      a.record('a', i * 1000);
    }
    expect(a.wait('a', 5_000)).toBe(55);
    expect(a.wait('b', 5_000)).toBe(0);
    expect(a.wait('a', 59_500)).toBe(1);
    // The first question left the window: one more may be asked, then the second must leave too.
    expect(a.wait('a', 60_000)).toBe(0);
    a.record('a', 60_000);
    expect(a.wait('a', 60_000)).toBe(1);
    expect(a.wait('a', 61_000)).toBe(0);
  });

  it('with 0 questions a minute never makes anyone wait', () => {
    const a = questionAllowance(0);
    for (let i = 0; i < 100; i++) a.record('a', 0);
    expect(a.wait('a', 0)).toBe(0);
  });
});

describe('concurrencyLimit', () => {
  it('hands out at most max slots, takes each back once, and estimates the wait from recent answers', () => {
    const limit = concurrencyLimit(2);
    const first = limit.tryAcquire();
    const second = limit.tryAcquire();
    expect(first && second).toBeTruthy();
    expect(limit.tryAcquire()).toBeNull();
    expect(limit.active).toBe(2);
    first!();
    first!();
    expect(limit.active).toBe(1);
    expect(limit.tryAcquire()).not.toBeNull();
    expect(limit.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
  });
});

describe('admit', () => {
  it('turns a user past their allowance away before taking a slot, and counts a question only when admitted', () => {
    const c = questionAllowance(1);
    const limit = concurrencyLimit(1);
    const first = admit(c, limit, 'a');
    expect(first.ok).toBe(true);
    const busy = admit(c, limit, 'b');
    expect(busy).toMatchObject({ ok: false, outcome: 'busy' });
    expect(c.wait('b')).toBe(0);
    const again = admit(c, limit, 'a');
    expect(again).toMatchObject({ ok: false, outcome: 'rate-limited' });
    if (first.ok) first.release();
    expect(admit(c, limit, 'b').ok).toBe(true);
  });
});

describe('isModerator', () => {
  const perms = (bits: bigint) => new PermissionsBitField(bits);
  const member = (roles: string[]) => ({ roles, user: { id: '1' } }) as never;

  it('accepts Manage Server, Administrator, or a configured moderator role; nothing else', () => {
    expect(isModerator({ memberPermissions: perms(PermissionFlagsBits.ManageGuild), member: member([]) }, [])).toBe(true);
    expect(isModerator({ memberPermissions: perms(PermissionFlagsBits.Administrator), member: member([]) }, [])).toBe(true);
    expect(isModerator({ memberPermissions: perms(PermissionFlagsBits.SendMessages), member: member(['900000000000000001']) }, ['900000000000000001'])).toBe(true);
    expect(isModerator({ memberPermissions: perms(PermissionFlagsBits.ManageMessages), member: member(['900000000000000002']) }, ['900000000000000001'])).toBe(false);
    expect(isModerator({ memberPermissions: null, member: null }, ['900000000000000001'])).toBe(false);
  });
});
