// Discord's limits on what a bot may send (message bodies, interaction callbacks, command registrations), so a bot that
// would be rejected by Discord (a 2,001-character quote, an 11th embed, a duplicate custom_id) is rejected here too,
// with the same 50035 "Invalid Form Body" shape discord.js turns into a DiscordAPIError.
import { z } from 'zod';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  customId: 100,
  buttonLabel: 80,
  actionRows: 5,
  rowComponents: 5,
  componentsV2: 40,
  selectOptions: 25,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  modalTitle: 45,
  files: 10,
  commands: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
} as const;

/** MessageFlags.IsComponentsV2: the message is made of layout components and may carry no content or embeds. */
export const COMPONENTS_V2_FLAG = 1 << 15;

export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

const snowflake = z.string().regex(/^\d{1,20}$/, 'Value "{input}" is not snowflake.');
const url = z
  .string()
  .max(2048)
  .regex(/^(https?|attachment):\/\/\S+$/, 'Not a well formed URL.');

const embedSchema = z.looseObject({
  title: z.string().max(LIMITS.embedTitle).nullish(),
  description: z.string().max(LIMITS.embedDescription).nullish(),
  url: url.nullish(),
  timestamp: z.iso.datetime({ offset: true }).nullish(),
  color: z.number().int().min(0).max(0xffffff).nullish(),
  footer: z.looseObject({ text: z.string().min(1).max(LIMITS.footerText), icon_url: url.nullish() }).nullish(),
  image: z.looseObject({ url }).nullish(),
  thumbnail: z.looseObject({ url }).nullish(),
  author: z.looseObject({ name: z.string().min(1).max(LIMITS.authorName), url: url.nullish(), icon_url: url.nullish() }).nullish(),
  fields: z
    .array(
      z.looseObject({
        name: z.string().min(1).max(LIMITS.fieldName),
        value: z.string().min(1).max(LIMITS.fieldValue),
        inline: z.boolean().nullish(),
      }),
    )
    .max(LIMITS.embedFields)
    .nullish(),
});
type Embed = z.infer<typeof embedSchema>;

function embedSize(e: Embed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

const allowedMentionsSchema = z
  .looseObject({
    parse: z.array(z.enum(['users', 'roles', 'everyone'])).nullish(),
    users: z.array(snowflake).max(100).nullish(),
    roles: z.array(snowflake).max(100).nullish(),
    replied_user: z.boolean().nullish(),
  })
  .superRefine((am, ctx) => {
    for (const kind of ['users', 'roles'] as const) {
      if (am.parse?.includes(kind) && (am[kind]?.length ?? 0) > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
          params: { discordCode: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE' },
        });
      }
    }
  });

export type RawComponent = Record<string, unknown> & { type?: unknown };

/** Every component in a tree, whatever its layout (action rows, v2 containers, sections with accessories, labels). */
export function walkComponents(components: unknown, visit: (c: RawComponent, path: (string | number)[]) => void, path: (string | number)[] = ['components']): void {
  if (!Array.isArray(components)) return;
  components.forEach((c: unknown, i) => {
    if (!c || typeof c !== 'object') return;
    const comp = c as RawComponent;
    const here = [...path, i];
    visit(comp, here);
    walkComponents(comp['components'], visit, [...here, 'components']);
    if (comp['accessory']) walkComponents([comp['accessory']], visit, [...here, 'accessory']);
    if (comp['component']) walkComponents([comp['component']], visit, [...here, 'component']);
  });
}

function checkComponents(components: unknown[], flags: number, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string, discordCode: string): void => {
    ctx.addIssue({ code: 'custom', path, message, params: { discordCode } });
  };
  const v2 = (flags & COMPONENTS_V2_FLAG) !== 0;
  if (!v2) {
    if (components.length > LIMITS.actionRows) {
      issue(['components'], `Must be ${LIMITS.actionRows} or fewer in length.`, 'BASE_TYPE_MAX_LENGTH');
    }
    components.forEach((row, i) => {
      const r = row as RawComponent;
      if (r.type !== 1) {
        issue(['components', i, 'type'], 'Top-level components must be action rows unless the message has the IsComponentsV2 flag.', 'UNION_TYPE_CHOICES');
        return;
      }
      const children = Array.isArray(r['components']) ? (r['components'] as RawComponent[]) : [];
      if (children.length < 1 || children.length > LIMITS.rowComponents) {
        issue(['components', i, 'components'], `Must be between 1 and ${LIMITS.rowComponents} in length.`, 'BASE_TYPE_BAD_LENGTH');
      }
      if (children.some((c) => c.type !== 2) && children.length > 1) {
        issue(['components', i, 'components'], 'A select menu must be alone in its action row.', 'COMPONENT_LAYOUT_WIDTH_EXCEEDED');
      }
    });
  }
  let count = 0;
  const customIds = new Map<string, (string | number)[]>();
  walkComponents(components, (c, path) => {
    count++;
    const customId = c['custom_id'];
    if (typeof customId === 'string') {
      if (customId.length < 1 || customId.length > LIMITS.customId) {
        issue([...path, 'custom_id'], `Must be between 1 and ${LIMITS.customId} in length.`, 'BASE_TYPE_BAD_LENGTH');
      }
      if (customIds.has(customId)) {
        issue([...path, 'custom_id'], 'Component custom id cannot be duplicated', 'COMPONENT_CUSTOM_ID_DUPLICATED');
      }
      customIds.set(customId, path);
    }
    if (c.type === 2) {
      const style = c['style'];
      if (style === 5) {
        if (typeof c['url'] !== 'string') issue([...path, 'url'], 'This field is required', 'BASE_TYPE_REQUIRED');
        if (customId !== undefined) issue([...path, 'custom_id'], 'A link button cannot have a custom_id.', 'COMPONENT_INVALID_FIELD');
      } else if (style !== 6 && typeof customId !== 'string') {
        issue([...path, 'custom_id'], 'This field is required', 'BASE_TYPE_REQUIRED');
      }
      const label = c['label'];
      if (typeof label === 'string' && label.length > LIMITS.buttonLabel) {
        issue([...path, 'label'], `Must be ${LIMITS.buttonLabel} or fewer in length.`, 'BASE_TYPE_MAX_LENGTH');
      }
      if (label === undefined && c['emoji'] === undefined && style !== 6) {
        issue([...path, 'label'], 'A button needs a label or an emoji.', 'BASE_TYPE_REQUIRED');
      }
    }
    if (c.type === 3) {
      const options = Array.isArray(c['options']) ? (c['options'] as RawComponent[]) : [];
      if (options.length < 1 || options.length > LIMITS.selectOptions) {
        issue([...path, 'options'], `Must be between 1 and ${LIMITS.selectOptions} in length.`, 'BASE_TYPE_BAD_LENGTH');
      }
      options.forEach((o, j) => {
        for (const key of ['label', 'value', 'description'] as const) {
          const v = o[key];
          if (typeof v === 'string' && v.length > 100) {
            issue([...path, 'options', j, key], 'Must be 100 or fewer in length.', 'BASE_TYPE_MAX_LENGTH');
          }
        }
      });
    }
  });
  if (v2 && count > LIMITS.componentsV2) {
    issue(['components'], `A message may hold at most ${LIMITS.componentsV2} components.`, 'BASE_TYPE_MAX_LENGTH');
  }
}

/** A message create or edit body (channel message, interaction reply, webhook message). */
export const messageBodySchema = z
  .looseObject({
    content: z.string().max(LIMITS.content).nullish(),
    embeds: z.array(embedSchema).max(LIMITS.embeds).nullish(),
    allowed_mentions: allowedMentionsSchema.nullish(),
    components: z.array(z.looseObject({ type: z.number().int() })).nullish(),
    flags: z.number().int().nonnegative().nullish(),
    message_reference: z
      .looseObject({
        message_id: snowflake.nullish(),
        channel_id: snowflake.nullish(),
        guild_id: snowflake.nullish(),
        fail_if_not_exists: z.boolean().nullish(),
        type: z.number().int().nullish(),
      })
      .nullish(),
    attachments: z
      .array(z.looseObject({ id: z.union([z.string(), z.number()]), filename: z.string().nullish(), description: z.string().max(1024).nullish() }))
      .max(LIMITS.files)
      .nullish(),
    tts: z.boolean().nullish(),
    nonce: z.union([z.string().max(25), z.number().int()]).nullish(),
  })
  .superRefine((body, ctx) => {
    const total = (body.embeds ?? []).reduce((n, e) => n + embedSize(e), 0);
    if (total > LIMITS.embedTotal) {
      ctx.addIssue({
        code: 'custom',
        path: ['embeds'],
        message: `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
        params: { discordCode: 'MAX_EMBED_SIZE_EXCEEDED' },
      });
    }
    const flags = body.flags ?? 0;
    if (flags & COMPONENTS_V2_FLAG && ((body.content ?? '') !== '' || (body.embeds?.length ?? 0) > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'The content and embeds fields cannot be used when using components v2.',
        params: { discordCode: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2' },
      });
    }
    if (body.components) checkComponents(body.components, flags, ctx);
  });
export type MessageBody = z.infer<typeof messageBodySchema>;

const choiceSchema = z.looseObject({
  name: z.string().min(1).max(LIMITS.choiceName),
  value: z.union([z.string().max(LIMITS.choiceValue), z.number()]),
});

const modalSchema = z.looseObject({
  custom_id: z.string().min(1).max(LIMITS.customId),
  title: z.string().min(1).max(LIMITS.modalTitle),
  components: z.array(z.looseObject({ type: z.number().int() })).min(1).max(5),
});

/** POST /interactions/:id/:token/callback */
export const interactionCallbackSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal(1) }),
  z.looseObject({ type: z.literal(4), data: messageBodySchema }),
  z.looseObject({ type: z.literal(5), data: z.looseObject({ flags: z.number().int().nullish() }).nullish() }),
  z.looseObject({ type: z.literal(6) }),
  z.looseObject({ type: z.literal(7), data: messageBodySchema.nullish() }),
  z.looseObject({ type: z.literal(8), data: z.looseObject({ choices: z.array(choiceSchema).max(LIMITS.choices) }) }),
  z.looseObject({ type: z.literal(9), data: modalSchema }),
]);
export type InteractionCallbackBody = z.infer<typeof interactionCallbackSchema>;

const commandNameSchema = z
  .string()
  .regex(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u, 'Command name is invalid')
  .refine((s) => s === s.toLowerCase(), 'Command name must be lowercase');

export interface CommandOptionBody {
  type: number;
  name: string;
  description: string;
  required?: boolean | null;
  choices?: { name: string; value: string | number }[] | null;
  autocomplete?: boolean | null;
  options?: CommandOptionBody[] | null;
  [key: string]: unknown;
}

function checkOptionList(options: CommandOptionBody[] | null | undefined, ctx: z.RefinementCtx, path: (string | number)[]): void {
  if (!options) return;
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((o, i) => {
    if (names.has(o.name)) {
      ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: 'Application command option names must be unique', params: { discordCode: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS' } });
    }
    names.add(o.name);
    const isSub = o.type === 1 || o.type === 2;
    if (!isSub && o.required) {
      if (sawOptional) {
        ctx.addIssue({ code: 'custom', path: [...path, i, 'required'], message: 'Required options must be placed before non-required options', params: { discordCode: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' } });
      }
    } else if (!isSub) {
      sawOptional = true;
    }
    if (o.autocomplete && o.choices && o.choices.length > 0) {
      ctx.addIssue({ code: 'custom', path: [...path, i, 'autocomplete'], message: 'Autocomplete cannot be set for options with choices', params: { discordCode: 'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID' } });
    }
    checkOptionList(o.options, ctx, [...path, i, 'options']);
  });
}

const commandOptionSchema: z.ZodType<CommandOptionBody> = z.lazy(() =>
  z.looseObject({
    type: z.number().int().min(1).max(11),
    name: commandNameSchema,
    description: z.string().min(1).max(LIMITS.commandDescription),
    required: z.boolean().nullish(),
    choices: z.array(choiceSchema).max(LIMITS.choices).nullish(),
    autocomplete: z.boolean().nullish(),
    options: z.array(commandOptionSchema).max(LIMITS.commandOptions).nullish(),
  }),
);

const commandSchema = z
  .looseObject({
    name: commandNameSchema,
    type: z.number().int().min(1).max(4).nullish(),
    description: z.string().max(LIMITS.commandDescription).nullish(),
    options: z.array(commandOptionSchema).max(LIMITS.commandOptions).nullish(),
    default_member_permissions: z.string().regex(/^\d+$/).nullish(),
    dm_permission: z.boolean().nullish(),
    contexts: z.array(z.number().int()).nullish(),
    integration_types: z.array(z.number().int()).nullish(),
    nsfw: z.boolean().nullish(),
  })
  .superRefine((cmd, ctx) => {
    const chatInput = (cmd.type ?? 1) === 1;
    if (chatInput && !cmd.description) {
      ctx.addIssue({ code: 'custom', path: ['description'], message: 'This field is required', params: { discordCode: 'BASE_TYPE_REQUIRED' } });
    }
    checkOptionList(cmd.options, ctx, ['options']);
  });
export type CommandBody = z.infer<typeof commandSchema>;

export const commandListSchema = z.array(commandSchema).max(LIMITS.commands).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const key = `${c.type ?? 1}:${c.name}`;
    if (seen.has(key)) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'Application command names must be unique', params: { discordCode: 'APPLICATION_COMMANDS_DUPLICATE_NAME' } });
    }
    seen.add(key);
  });
});
export { commandSchema };

export const threadFromMessageSchema = z.looseObject({
  name: z.string().min(1).max(100),
  auto_archive_duration: z.union([z.literal(60), z.literal(1440), z.literal(4320), z.literal(10080)]).nullish(),
  rate_limit_per_user: z.number().int().min(0).max(21600).nullish(),
});

export const threadWithoutMessageSchema = threadFromMessageSchema.extend({
  type: z.union([z.literal(10), z.literal(11), z.literal(12)]).nullish(),
  invitable: z.boolean().nullish(),
});

function discordIssue(issue: z.core.$ZodIssue): { code: string; message: string } {
  const params = (issue as { params?: { discordCode?: string } }).params;
  if (issue.code === 'custom') return { code: params?.discordCode ?? 'BASE_TYPE_INVALID', message: issue.message };
  if (issue.code === 'too_big') {
    if (issue.origin === 'string' || issue.origin === 'array') {
      return { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` };
    }
    return { code: 'NUMBER_TYPE_MAX', message: `Must be less than or equal to ${String(issue.maximum)}.` };
  }
  if (issue.code === 'too_small') {
    if ((issue.origin === 'string' || issue.origin === 'array') && Number(issue.minimum) === 1) {
      return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
    }
    if (issue.origin === 'string' || issue.origin === 'array') {
      return { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(issue.minimum)} or more in length.` };
    }
    return { code: 'NUMBER_TYPE_MIN', message: `Must be greater than or equal to ${String(issue.minimum)}.` };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
  if (issue.code === 'invalid_type') return { code: `BASE_TYPE_${issue.expected.toUpperCase()}`, message: `Must be a ${issue.expected}.` };
  if (issue.code === 'invalid_union' || issue.code === 'invalid_value') return { code: 'BASE_TYPE_CHOICES', message: issue.message };
  return { code: 'BASE_TYPE_INVALID', message: issue.message };
}

/** Discord's nested `errors` object: one `_errors` list at each failing path. */
export function formBodyError(error: z.ZodError, prefix: (string | number)[] = []): DiscordErrorBody {
  const errors: Record<string, unknown> = {};
  for (const issue of error.issues) {
    let node = errors;
    for (const key of [...prefix, ...issue.path]) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    const list = (node['_errors'] ??= []) as { code: string; message: string }[];
    list.push(discordIssue(issue));
  }
  return { code: 50035, message: 'Invalid Form Body', errors };
}

/** A single-field 50035 error, for checks that need state (e.g. an unknown replied-to message). */
export function fieldError(path: string[], code: string, message: string): DiscordErrorBody {
  const errors: Record<string, unknown> = {};
  let node = errors;
  for (const key of path) {
    node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node['_errors'] = [{ code, message }];
  return { code: 50035, message: 'Invalid Form Body', errors };
}
