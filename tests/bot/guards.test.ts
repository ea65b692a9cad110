// The guards before the answer pipeline: cooldown per user, a cap on answers in progress, and the moderator check.
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { admit, concurrencyLimit, cooldown, isModerator } from '../../src/bot/guards.js';

describe('cooldown', () => {
  it('makes a user wait the configured seconds after asking, and no one else', () => {
    const c = cooldown(10);
    expect(c.remaining('a', 0)).toBe(0);
    c.start('a', 0);
    expect(c.remaining('a', 1)).toBe(10);
    expect(c.remaining('a', 9_500)).toBe(1);
    expect(c.remaining('a', 10_000)).toBe(0);
    expect(c.remaining('b', 1)).toBe(0);
  });

  it('with 0 seconds never makes anyone wait', () => {
    const c = cooldown(0);
    c.start('a', 0);
    expect(c.remaining('a', 0)).toBe(0);
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
  it('turns a user in cooldown away before taking a slot, and starts the cooldown only when admitted', () => {
    const c = cooldown(30);
    const limit = concurrencyLimit(1);
    const first = admit(c, limit, 'a');
    expect(first.ok).toBe(true);
    const busy = admit(c, limit, 'b');
    expect(busy).toMatchObject({ ok: false, outcome: 'busy' });
    expect(c.remaining('b')).toBe(0);
    const again = admit(c, limit, 'a');
    expect(again).toMatchObject({ ok: false, outcome: 'cooldown' });
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
