// A reader's comment form as a browser sends it, and a page's live stream, against a running
// `hearth serve` of the demo site.
import assert from 'node:assert/strict';

/** The demo site's first post, which has a conversation. */
export const POST = '/why-every-reader-deserves-an-answer/';

/** The hidden fields of a served comment form (its signed token and served-at time). */
export function formFieldsOf(html: string): Record<string, string> {
  const form = /<form[^>]*data-comment-form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    if (name && name !== 'parent') fields[name] = (/value="([^"]*)"/.exec(input[0])?.[1] ?? '').replaceAll('&amp;', '&');
  }
  return fields;
}

/** The comment form's hidden fields from the post's page (`query` names another cached copy), to post as a browser would. */
export async function formFields(base: string, query = ''): Promise<Record<string, string>> {
  return formFieldsOf(await (await fetch(`${base}${POST}${query}`)).text());
}

export function postComment(
  base: string,
  fields: Record<string, string>,
  email: string,
  body: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${base}${POST}comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: base, ...headers },
    body: JSON.stringify({ ...fields, name: 'Lena', email, body }),
  });
}

/** Resolves with the first `comment` event of a post's live stream. */
export async function firstLiveComment(base: string, signal: AbortSignal): Promise<{ ready: Promise<void>; comment: Promise<string> }> {
  const res = await fetch(`${base}${POST}comments/live`, { signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const comment = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the live stream ended');
      buffer += decoder.decode(value, { stream: true });
      if (buffer.includes('event: ready')) markReady();
      const event = /event: comment\ndata: (.*)\n/.exec(buffer);
      if (event?.[1]) return JSON.parse(event[1]).id as string;
    }
  })();
  return { ready, comment };
}
