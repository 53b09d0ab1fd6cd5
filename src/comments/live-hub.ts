// Tells open pages about newly published comments (Server-Sent Events). One hub per process; the
// change feed brings it the comments other processes took (LISTEN/NOTIFY on PostgreSQL).

export interface LiveEvent {
  id: string;
  parentId: string | null;
}

export interface LiveHub {
  subscribe(postId: string, listener: (event: LiveEvent) => void): () => void;
  publish(postId: string, event: LiveEvent): void;
  /** Called when the hub closes (shutdown), so open streams end and the server can stop. */
  onClose(listener: () => void): () => void;
  close(): void;
  /** Posts that open pages are watching. */
  watchedPosts(): string[];
  /** Open subscriptions, for tests and logs. */
  size(): number;
}

export function createLiveHub(): LiveHub {
  const byPost = new Map<string, Set<(event: LiveEvent) => void>>();
  const closers = new Set<() => void>();
  let closed = false;
  return {
    subscribe(postId, listener) {
      const set = byPost.get(postId) ?? new Set();
      byPost.set(postId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) byPost.delete(postId);
      };
    },
    publish(postId, event) {
      for (const listener of byPost.get(postId) ?? []) listener(event);
    },
    onClose(listener) {
      if (closed) {
        listener();
        return () => {};
      }
      closers.add(listener);
      return () => closers.delete(listener);
    },
    close() {
      closed = true;
      for (const listener of [...closers]) listener();
      closers.clear();
    },
    watchedPosts: () => [...byPost.keys()],
    size: () => [...byPost.values()].reduce((n, s) => n + s.size, 0),
  };
}
