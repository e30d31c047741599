import { stopAll } from './app';
import { closeAllClients } from './clients';

/** Root hooks (loaded by test/run.ts): nothing a test opened outlives it. */
export const mochaHooks = {
  async afterEach() {
    closeAllClients();
  },
  async afterAll() {
    closeAllClients();
    await stopAll();
  },
};
