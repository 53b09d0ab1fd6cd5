// activitystrea.ms ships no types: the little of it the independent-client test uses.
declare module 'activitystrea.ms' {
  const as: { import(document: unknown): Promise<unknown> };
  export default as;
}

declare module 'activitystrea.ms/src/contextloader.js' {
  /** The JSON-LD contexts activitystrea.ms expands with, by URL (its own: Activity Streams and security v1). */
  const Loader: { defaultInstance: { get(url: string): unknown; register(url: string, context: unknown): void } };
  export default Loader;
}
