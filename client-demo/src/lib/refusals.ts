import { signal } from '@preact/signals';
import type { NamespaceClient } from '../../../shared/client';
import type { NamespaceName } from '../../../shared/events';

/**
 * Set once a write was refused because the account has no verified school email
 * (`FORBIDDEN` with `reason: 'UNVERIFIED'`, when the server runs with REQUIRE_VERIFIED=1):
 * the shell then shows a banner linking to the verification screen. Cleared on verification.
 */
export const needsVerification = signal(false);

/**
 * Watches every ack of `client` for that refusal, wherever the command came from, so no
 * screen has to remember to. Wraps `ask` in place: the typed client has no ack hook.
 */
export function watchRefusals<N extends NamespaceName>(client: NamespaceClient<N>): void {
  const ask = client.ask.bind(client);
  const watched: typeof client.ask = async (event, payload) => {
    const res = await ask(event, payload);
    if (!res.ok && res.error.reason === 'UNVERIFIED') needsVerification.value = true;
    return res;
  };
  client.ask = watched;
}
