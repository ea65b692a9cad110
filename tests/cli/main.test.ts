// The `coverage-bot` program: every command is listed and reachable although only the one being run is imported.
import { describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram, requestedCommand } from '../../src/cli/main.js';
import { runCli } from '../index/cli-process.js';

describe('coverage-bot commands', () => {
  it('each registry entry loads the command of its name, with options of its own', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name()).toBe(entry.name);
      expect(command.description().length).toBeGreaterThan(0);
    }
    expect((await COMMANDS.find((c) => c.name === 'ask')!.load()).options.map((o) => o.long)).toContain('--json');
  });

  it('names the command being run, also after `help`', () => {
    expect(requestedCommand(['node', 'bin', 'ask', 'Who?'])).toBe('ask');
    expect(requestedCommand(['node', 'bin', 'help', 'ingest'])).toBe('ingest');
    expect(requestedCommand(['node', 'bin', '--help'])).toBe('--help');
    expect(requestedCommand(['node', 'bin'])).toBeUndefined();
  });

  it('lists every command with its summary without loading any', async () => {
    const loaded: string[] = [];
    const program = await buildProgram((name) => (loaded.push(name), false));
    const help = program.helpInformation();
    for (const entry of COMMANDS) expect(help).toMatch(new RegExp(`${entry.name}\\s+${entry.summary.replace(/[()]/g, '\\$&')}`));
    expect(loaded).toEqual(COMMANDS.map((c) => c.name));
    expect(program.commands.every((c) => c.options.length === 0)).toBe(true);
  });

  it('`--help`, `help ask` and a mistyped command work from the command line', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const entry of COMMANDS) expect(help.stdout).toContain(entry.summary);
    const askHelp = await runCli(['help', 'ask']);
    expect(askHelp.stdout).toContain('--outlet <name>');
    const typo = await runCli(['aks']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Did you mean ask?');
  });
});
