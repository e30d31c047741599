import { z } from 'zod';

/** `notifications:settings:set`: the kinds to switch (the others keep their setting); at least one. */
export const notificationSettingsSetInput = z.strictObject({
  kinds: z
    .strictObject({
      comment: z.boolean().optional(),
      reply: z.boolean().optional(),
      hot: z.boolean().optional(),
      friend: z.boolean().optional(),
      message: z.boolean().optional(),
      moderation: z.boolean().optional(),
    })
    .refine((kinds) => Object.values(kinds).some((v) => v !== undefined), {
      message: 'Name at least one kind to switch',
    })
    // The refinement in the API documents, which zod's JSON Schema cannot show.
    .meta({ minProperties: 1 }),
});
export type NotificationSettingsSetInput = z.infer<typeof notificationSettingsSetInput>;
