// The part of madge's API the architecture test uses (madge ships no types).
declare module 'madge' {
  interface MadgeResult {
    /** Each file and the files it imports, relative to baseDir. */
    obj(): Record<string, string[]>;
    /** Each import cycle, as the files in it. */
    circular(): string[][];
  }
  export default function madge(path: string, config?: { baseDir?: string; fileExtensions?: string[] }): Promise<MadgeResult>;
}
