import { Block, ModerationCase, ModerationLogRow, Report } from './moderation.model';

/** The tables the moderation feature owns. */
export const moderationModels = [Report, ModerationCase, ModerationLogRow, Block];
