// The addresses ActivityPub answers (Fedify's): WebFinger, NodeInfo and everything under /ap/.
// Kept apart from Fedify so a request elsewhere is told no without loading it.
const FEDERATED_PATHS = /^\/(\.well-known\/(webfinger|nodeinfo)|nodeinfo\/|ap\/)/;

export function isFederatedPath(pathname: string): boolean {
  return FEDERATED_PATHS.test(pathname);
}
