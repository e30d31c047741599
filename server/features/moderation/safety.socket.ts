import type { BlockDto, ReportDto } from '../../../shared/dto';
import type { SafetyCommands } from '../../../shared/events';
import * as m from '../../../shared/schemas/moderation';
import type { Actor } from '../../core/auth';
import type { CommandTable } from '../../core/handle';
import { actor } from '../../core/realtime';

/** 신고: what report:create calls (reports.service.ts). */
export interface ReportsApi {
  report(actor: Actor, input: m.ReportCreateInput): Promise<ReportDto>;
}

/** 차단: what user:block, user:unblock and blocks:list call (blocks.service.ts). */
export interface BlocksApi {
  block(actor: Actor, target: m.TargetRef): Promise<BlockDto>;
  unblock(actor: Actor, blockId: number): Promise<{ blockId: number }>;
  list(actor: Actor): Promise<BlockDto[]>;
}

export interface SafetySocketDeps {
  reports: ReportsApi;
  blocks: BlocksApi;
}

/** Reporting and blocking, registered on /boards and /comments alike. */
export function safetyCommands({ reports, blocks }: SafetySocketDeps) {
  return (table: CommandTable): void => {
    const on = table.typed<SafetyCommands>();
    on('report:create', m.reportCreateInput, (input, socket) => reports.report(actor(socket), input));
    on('user:block', m.blockInput, ({ target }, socket) => blocks.block(actor(socket), target));
  };
}
