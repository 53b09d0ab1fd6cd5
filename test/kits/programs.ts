// For programs' tests: a reader who opens a program page (as a card's link leaves her), takes a
// few seconds, and sends the sign-up form.
import { TEST_BASE_URL, type TestApp } from '../harness.js';

export async function signUpOver(t: TestApp, slug: string, fields: Record<string, string>, query = ''): Promise<Response> {
  const html = await (await t.request(`/${slug}/${query}`)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  t.clock.advance(5000);
  const body = new URLSearchParams({ ts: field('ts'), token: field('token'), from: field('from'), homepage: '', message: '', ...fields });
  return t.request(`/${slug}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_BASE_URL },
    body: body.toString(),
  });
}
