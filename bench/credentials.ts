// What every contender shares: one token from a counting credential, and Microsoft's HTTP client trusting the vault's CA.
import { Agent as HttpsAgent } from 'node:https';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

export const TOKEN = 'bench-token';

/** A credential that counts its calls and hands out one long-lived token. */
export function staticCredential(): { calls: number; getToken(): Promise<{ token: string; expiresOnTimestamp: number }> } {
  return {
    calls: 0,
    async getToken() {
      this.calls++;
      return { token: TOKEN, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

/** Microsoft's default node:http client (keep-alive), with the vault's CA trusted by the agent, counting 401s. */
export function azureHttpClient(ca: string): HttpClient & { challenges: number } {
  const inner = createDefaultHttpClient();
  const agent = new HttpsAgent({ ca, keepAlive: true });
  return {
    challenges: 0,
    async sendRequest(request) {
      request.agent = agent;
      const response = await inner.sendRequest(request);
      if (response.status === 401) this.challenges++;
      return response;
    },
  };
}

