// The federation service as every caller sees it, with Fedify loaded at its first call that needs
// it (a server loads it as it starts; most commands never do). A request to another address, and
// the reads given in `ready` (plain database reads, such as a post page's likes and boosts), are
// answered without it.
import { isFederatedPath } from './federated-paths.js';
import type { FederationService } from './federation-service.js';

export function lazyFederation(
  load: () => Promise<FederationService>,
  ready: Partial<Pick<FederationService, 'reactions'>> = {},
): FederationService {
  let loading: Promise<FederationService> | undefined;
  const loaded = () => {
    loading ??= load();
    return loading;
  };
  const later = new Proxy({} as FederationService, {
    get: (_target, name: keyof FederationService) => {
      if (name === 'start') return () => void loaded().then((service) => service.start());
      if (name === 'stop') return async () => (loading ? (await loading).stop() : undefined);
      if (name in ready) return ready[name as keyof typeof ready];
      if (name === 'fetch')
        return async (request: Request) => (isFederatedPath(new URL(request.url).pathname) ? (await loaded()).fetch(request) : undefined);
      return async (...args: unknown[]) => {
        const service = await loaded();
        return (service[name] as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
  return later;
}
