// The configuration schema at the edge: DISCORD_API_URL, which the bot talks to and whose origin it trusts for
// attachment downloads, must be an http(s) URL; anything else is refused with a line naming the variable and the value.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('DISCORD_API_URL', () => {
  it.each(['http://127.0.0.1:4321/api', 'https://discord.com/api'])('accepts %s', (url) => {
    expect(loadConfig({ DISCORD_API_URL: url }).DISCORD_API_URL).toBe(url);
  });

  // A javascript: or file: URL has the origin "null", which would then pass the upload host check as if it were a host.
  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,hi', 'ftp://files.example/api', 'discord.com/api'])('refuses %s', (url) => {
    expect(() => loadConfig({ DISCORD_API_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ DISCORD_API_URL: url })).toThrow(`\n  DISCORD_API_URL: must be an http:// or https:// URL, such as https://discord.com/api (got ${JSON.stringify(url)})`);
  });
});
