// What stands before the answer pipeline: a per-user cooldown, a global cap on answers in progress, and the run-time
// moderator check behind /refresh (Discord's default permissions are the first gate, this is the second).
import { PermissionFlagsBits, type APIInteractionGuildMember, type GuildMember, type PermissionsBitField } from 'discord.js';

export interface Cooldown {
  /** Whole seconds `userId` must still wait (0: may ask now). */
  remaining(userId: string, now?: number): number;
  /** Starts `userId`'s cooldown. */
  start(userId: string, now?: number): void;
}

export function cooldown(seconds: number): Cooldown {
  const until = new Map<string, number>();
  const sweep = (now: number) => {
    for (const [user, time] of until) if (time <= now) until.delete(user);
  };
  return {
    remaining(userId, now = Date.now()) {
      const time = until.get(userId);
      return time === undefined || time <= now ? 0 : Math.ceil((time - now) / 1000);
    },
    start(userId, now = Date.now()) {
      if (seconds <= 0) return;
      // Expired entries go on the way, so the map holds only users inside their cooldown.
      if (until.size > 1000) sweep(now);
      until.set(userId, now + seconds * 1000);
    },
  };
}

export interface ConcurrencyLimit {
  /** A release function when a slot is free, else null. */
  tryAcquire(): (() => void) | null;
  readonly active: number;
  /** A fair guess of when a slot frees up, in whole seconds (at least 1): the recent mean time of one answer. */
  retryAfterSeconds(): number;
}

export function concurrencyLimit(max: number): ConcurrencyLimit {
  let active = 0;
  const recent: number[] = [];
  return {
    tryAcquire() {
      if (active >= max) return null;
      active++;
      const started = Date.now();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
        recent.push(Date.now() - started);
        if (recent.length > 20) recent.shift();
      };
    },
    get active() {
      return active;
    },
    retryAfterSeconds() {
      if (recent.length === 0) return 2;
      const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
      return Math.max(1, Math.ceil(mean / 1000));
    },
  };
}

export interface MemberLike {
  memberPermissions: Readonly<PermissionsBitField> | null;
  member: GuildMember | APIInteractionGuildMember | null;
}

function roleIdsOf(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...(member as GuildMember).roles.cache.keys()];
}

/** A moderator has Manage Server (Administrator implies it) or one of the configured moderator roles. */
export function isModerator(who: MemberLike, moderatorRoleIds: readonly string[]): boolean {
  if (who.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  return roleIdsOf(who.member).some((id) => moderatorRoleIds.includes(id));
}

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; outcome: 'cooldown' | 'busy'; message: string };

/** Lets a question through (starting the user's cooldown and taking an answer slot), or says when to try again. */
export function admit(userCooldown: Cooldown, answering: ConcurrencyLimit, userId: string): Admission {
  const wait = userCooldown.remaining(userId);
  if (wait > 0) return { ok: false, outcome: 'cooldown', message: `You asked a moment ago: try again in ${wait} s.` };
  const release = answering.tryAcquire();
  if (!release) {
    return { ok: false, outcome: 'busy', message: `I'm busy answering other questions: try again in ${answering.retryAfterSeconds()} s.` };
  }
  userCooldown.start(userId);
  return { ok: true, release };
}
