// Shapes flat comment rows into a tree. Pure: no database, no clock.

export interface ThreadRow {
  id: string;
  parent_id: string | null;
  created_at: number;
}

/** A row of a conversation page: it knows its thread (the id of the thread's first comment). */
export interface PageRow extends ThreadRow {
  root_id: string;
}

export interface ThreadNode<T extends ThreadRow> {
  comment: T;
  /** Nesting level as shown: 0 at the top, never above maxDepth. */
  depth: number;
  /** Set when the comment sits deeper than it is shown: the comment it actually answers. */
  answers: T | undefined;
  replies: ThreadNode<T>[];
}

/**
 * Builds the forest of threads. Replies nest under their parent down to `maxDepth`; a deeper reply
 * attaches to the deepest shown ancestor and records whom it answers. A reply whose parent is not
 * among the rows (held, removed) is shown at the top level, so no visible words are lost.
 */
export function buildThread<T extends ThreadRow>(rows: readonly T[], maxDepth = 5): ThreadNode<T>[] {
  const byId = new Map<string, ThreadNode<T>>();
  // The node each node was placed in (undefined at the top level).
  const holders = new Map<ThreadNode<T>, ThreadNode<T> | undefined>();
  for (const comment of rows) byId.set(comment.id, { comment, depth: 0, answers: undefined, replies: [] });

  const sorted = [...rows].sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
  const roots: ThreadNode<T>[] = [];
  const place = (node: ThreadNode<T>, holder: ThreadNode<T> | undefined) => {
    holders.set(node, holder);
    (holder ? holder.replies : roots).push(node);
  };
  for (const comment of sorted) {
    const node = byId.get(comment.id) as ThreadNode<T>;
    const parent = comment.parent_id ? byId.get(comment.parent_id) : undefined;
    if (!parent || parent === node || !holders.has(parent)) {
      place(node, undefined);
    } else if (parent.depth < maxDepth) {
      node.depth = parent.depth + 1;
      place(node, parent);
    } else {
      // Too deep to indent further: shown beside its parent, naming whom it answers.
      node.depth = parent.depth;
      node.answers = parent.comment;
      place(node, holders.get(parent));
    }
  }
  return roots;
}

/**
 * The threads of a conversation page in page order (by thread id, as pages are cut), each built
 * on its own, oldest first inside. A thread shows the same wherever and whenever it appears, so
 * its HTML can be rendered once when it changes (src/comments/kept-html/thread-html.ts).
 */
export function pageThreads<T extends PageRow>(rows: readonly T[], maxDepth: number, order: 'oldest' | 'newest'): ThreadNode<T>[][] {
  const byRoot = new Map<string, T[]>();
  for (const row of rows) {
    const group = byRoot.get(row.root_id);
    if (group) group.push(row);
    else byRoot.set(row.root_id, [row]);
  }
  const roots = [...byRoot.keys()].sort();
  if (order === 'newest') roots.reverse();
  return roots.map((root) => buildThread(byRoot.get(root) as T[], maxDepth));
}
