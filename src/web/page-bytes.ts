// A rendered page leaves as UTF-8 bytes written, piece by piece, into a reused buffer. On a busy
// server every large allocation costs more than the rendering around it: a JS string over 128 KB
// lives in V8's large-object space (a fresh mapping per string), a fresh Buffer of that size is
// fresh memory the kernel must hand over page by page, and Buffer.from(text) first measures a
// two-byte string, which costs as much as encoding it. So pages are never joined into one string:
// each piece is encoded straight into a buffer (cheaper than gathering pieces into longer strings
// first), and buffers return to a pool once the response has gone out. (A pool of memory, like
// Buffer's own; it holds no state of the site.)

const FIRST_SIZE = 256 * 1024;
const POOLED = 16;
/** A buffer that grew past this (an enormous page) is let go rather than kept. */
const LARGEST_KEPT = 4 * 1024 * 1024;

const pool: Buffer<ArrayBuffer>[] = [];

export class PageBytes {
  #buffer: Buffer<ArrayBuffer>;
  #length = 0;

  constructor() {
    this.#buffer = pool.pop() ?? Buffer.allocUnsafeSlow(FIRST_SIZE);
  }

  add(text: string): void {
    // A UTF-16 code unit never takes more than three bytes of UTF-8.
    const needed = this.#length + text.length * 3;
    if (needed > this.#buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(needed, this.#buffer.length * 2));
      this.#buffer.copy(bigger, 0, 0, this.#length);
      this.#buffer = bigger;
    }
    this.#length += this.#buffer.write(text, this.#length);
  }

  /** The page's bytes: a view of the pooled buffer, valid until release(). */
  bytes(): Buffer<ArrayBuffer> {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Hands the buffer back; call once the bytes are sent (or copied). */
  release(): void {
    const buffer = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    this.#length = 0;
    if (buffer.length > 0 && buffer.length <= LARGEST_KEPT && pool.length < POOLED) pool.push(buffer);
  }
}
