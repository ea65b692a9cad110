// Snowflake ids in Discord's format: discord.js derives createdAt from the timestamp bits, so ids must carry real time.
const DISCORD_EPOCH = 1_420_070_400_000n;
let last = 0n;

/** A fresh snowflake, strictly greater than every one issued before in this process. */
export function nextSnowflake(now: number = Date.now()): string {
  const candidate = (BigInt(now) - DISCORD_EPOCH) << 22n;
  // Several ids in one millisecond must still sort in creation order, as Discord's do.
  last = candidate > last ? candidate : last + 1n;
  return last.toString();
}

/** The creation time encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
