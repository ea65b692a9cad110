// The registry of slash commands: each module exports its builder `data`, `execute`, and where needed `autocomplete`
// and `button` (custom ids start with the command's name: `ask:…`, `sources:…`).
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../context.js';
import type { Outcome } from '../log.js';
import * as ask from './ask.js';
import * as refresh from './refresh.js';
import * as source from './source.js';
import * as sources from './sources.js';
import * as status from './status.js';

export interface BotCommand {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<Outcome>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<Outcome>;
  /** Handles a button whose custom id is `<name>:<args joined by ':'>`. */
  button?(interaction: ButtonInteraction, ctx: BotContext, args: string[]): Promise<Outcome>;
}

export const commands: readonly BotCommand[] = [ask, sources, source, refresh, status];

const byName = new Map(commands.map((c) => [c.data.name, c]));

export function commandNamed(name: string): BotCommand | undefined {
  return byName.get(name);
}

/** The JSON Discord's command registration takes. */
export function commandPayloads(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => c.data.toJSON());
}
