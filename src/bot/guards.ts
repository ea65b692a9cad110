// What stands before the answer pipeline: a rolling per-user allowance of questions, a global cap on answers in progress,
// and the run-time moderator check behind /refresh (Discord's default permissions are the first gate, this is the second).
import { countOf } from '../wording.js';
import { PermissionFlagsBits, type APIInteractionGuildMember, type GuildMember, type PermissionsBitField } from 'discord.js';

/** How many questions one user may ask in a rolling window: a quick follow-up is fine, a flood is not. */
export interface QuestionAllowance {
  readonly perWindow: number;
  readonly windowSeconds: number;
  /** Whole seconds until `userId` may ask again (0: may ask now). */
  wait(userId: string, now?: number): number;
  /** Counts a question `userId` asked. */
  record(userId: string, now?: number): void;
}

/** `perWindow` questions per user in any `windowSeconds` (0 questions: no limit). */
export function questionAllowance(perWindow: number, windowSeconds = 60): QuestionAllowance {
  const windowMs = windowSeconds * 1000;
  /** Per user, the times of their questions inside the window, oldest first. */
  const asked = new Map<string, number[]>();
  const recent = (userId: string, now: number): number[] => {
    const times = (asked.get(userId) ?? []).filter((t) => t > now - windowMs);
    if (times.length > 0) asked.set(userId, times);
    else asked.delete(userId);
    return times;
  };
  return {
    perWindow,
    windowSeconds,
    wait(userId, now = Date.now()) {
      if (perWindow <= 0) return 0;
      const times = recent(userId, now);
      if (times.length < perWindow) return 0;
      // The user may ask again when enough of their questions have left the window.
      const freedAt = times[times.length - perWindow]! + windowMs;
      return Math.max(1, Math.ceil((freedAt - now) / 1000));
    },
    record(userId, now = Date.now()) {
      if (perWindow <= 0) return;
      // Users whose questions all left the window go on the way, so the map holds only recent askers.
      if (asked.size > 1000) for (const user of [...asked.keys()]) recent(user, now);
      asked.set(userId, [...recent(userId, now), now]);
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
  | { ok: false; outcome: 'rate-limited' | 'busy'; message: string };

/** Lets a question through (counting it against the user's allowance and taking an answer slot), or says when to try again. */
export function admit(allowance: QuestionAllowance, answering: ConcurrencyLimit, userId: string): Admission {
  const wait = allowance.wait(userId);
  if (wait > 0) {
    const window = allowance.windowSeconds === 60 ? 'a minute' : `${allowance.windowSeconds} s`;
    return {
      ok: false,
      outcome: 'rate-limited',
      message: `You have asked ${countOf(allowance.perWindow, 'question')} in ${window}, the most one person may: try again in ${wait} s.`,
    };
  }
  const release = answering.tryAcquire();
  if (!release) {
    return { ok: false, outcome: 'busy', message: `I'm busy answering other questions: try again in ${answering.retryAfterSeconds()} s.` };
  }
  allowance.record(userId);
  return { ok: true, release };
}
