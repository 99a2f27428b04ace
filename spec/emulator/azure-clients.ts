import { Agent } from 'node:https';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { RunningVault } from '../../lib/emulator/index.js';

/** A pipeline policy that makes Microsoft's clients trust exactly the vault's CA (no NODE_TLS_REJECT_UNAUTHORIZED). */
export function trustVault(vault: RunningVault): { policy: PipelinePolicy; position: 'perCall' } {
  const agent = new Agent({ ca: vault.ca, keepAlive: true });
  return {
    position: 'perCall',
    policy: {
      name: 'trustLocalVaultCa',
      sendRequest: (request, next) => {
        request.agent = agent;
        return next(request);
      },
    },
  };
}

/**
 * Options for Microsoft's Key Vault clients against the local vault. Their challenge check wants the vault host to
 * end with `.` + the resource host, which no IP address (nor `localhost`) can satisfy, so it is turned off here;
 * the vault still names its own origin as the resource, which is what that check would compare.
 */
export const azureOptions = (vault: RunningVault) => ({
  additionalPolicies: [trustVault(vault)],
  disableChallengeResourceVerification: true,
});
