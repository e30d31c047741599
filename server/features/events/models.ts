import { EventRow } from './event.model';

/** The tables the event log owns (event_streams has no model: it is written in raw SQL). */
export const eventModels = [EventRow];
