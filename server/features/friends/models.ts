import { Friendship } from './friendship.model';

/** The tables the friends feature owns. */
export const friendModels = [Friendship];
