// The frame of every HTML page Hearth sends: the doctype first, so browsers render in standards
// mode rather than quirks mode, then <html>. Every layout is built on it, so no page leaves
// without it.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export const DOCTYPE = '<!doctype html>';

/** `lang` and `dir` name the page's language (English, left to right, unless told). */
export function HtmlDocument(props: { lang?: string; dir?: 'ltr' | 'rtl'; children?: Child }) {
  return (
    <>
      {raw(DOCTYPE)}
      <html lang={props.lang ?? 'en'} dir={props.dir ?? 'ltr'}>
        {props.children}
      </html>
    </>
  );
}

/** The site's icon, for every page's head (browsers that ask for /favicon.ico get one too). */
export function SiteIcon() {
  return <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />;
}
