import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elementsOf } from '../../test/kits/html.js';
import { EMBED_FRAME_ORIGINS, recognizeEmbed } from './embeds.js';
import { createMarkdownRenderer } from './markdown.js';
import { sanitizeAuthorHtml } from './sanitize.js';

const YT = 'dQw4w9WgXcQ';
const SPOTIFY_ID = '4uLU6hMCjMI75M1A2tKUQC';
const LOOM_ID = '0123456789abcdef0123456789abcdef';

// Each form a link to a player takes, and the player address it must give.
const FORMS: [string, string, string][] = [
  [`https://www.youtube.com/watch?v=${YT}`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}`],
  [`https://m.youtube.com/watch?v=${YT}&feature=share`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}`],
  [`https://youtu.be/${YT}?si=tracking`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}`],
  [`https://youtu.be/${YT}?t=1m30s`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}?start=90`],
  [`https://www.youtube.com/shorts/${YT}`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}`],
  [`https://www.youtube.com/live/${YT}`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}`],
  [`https://www.youtube.com/embed/${YT}?start=42`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}?start=42`],
  [`//www.youtube-nocookie.com/embed/${YT}`, 'youtube', `https://www.youtube-nocookie.com/embed/${YT}`],
  [
    'https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf',
    'youtube',
    'https://www.youtube-nocookie.com/embed/videoseries?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf',
  ],
  ['https://vimeo.com/76979871', 'vimeo', 'https://player.vimeo.com/video/76979871?dnt=1'],
  ['https://vimeo.com/76979871/8a5ecb3a2e', 'vimeo', 'https://player.vimeo.com/video/76979871?dnt=1&h=8a5ecb3a2e'],
  ['https://vimeo.com/channels/staffpicks/76979871', 'vimeo', 'https://player.vimeo.com/video/76979871?dnt=1'],
  ['https://player.vimeo.com/video/76979871?h=8a5ecb3a2e&badge=0', 'vimeo', 'https://player.vimeo.com/video/76979871?dnt=1&h=8a5ecb3a2e'],
  [
    'https://soundcloud.com/forss/flickermood',
    'soundcloud',
    'https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood',
  ],
  [
    'https://soundcloud.com/forss/sets/soulhack',
    'soundcloud',
    'https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fsets%2Fsoulhack',
  ],
  [
    'https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/293&color=%23ff5500',
    'soundcloud',
    'https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F293',
  ],
  [`https://open.spotify.com/track/${SPOTIFY_ID}?si=abc`, 'spotify', `https://open.spotify.com/embed/track/${SPOTIFY_ID}`],
  [`https://open.spotify.com/intl-de/episode/${SPOTIFY_ID}`, 'spotify', `https://open.spotify.com/embed/episode/${SPOTIFY_ID}`],
  [`https://open.spotify.com/embed/playlist/${SPOTIFY_ID}`, 'spotify', `https://open.spotify.com/embed/playlist/${SPOTIFY_ID}`],
  [
    'https://podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652234111',
    'apple-podcasts',
    'https://embed.podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652234111',
  ],
  [`https://www.loom.com/share/${LOOM_ID}`, 'loom', `https://www.loom.com/embed/${LOOM_ID}`],
];

const NOT_PLAYERS = [
  'https://www.youtube.com/',
  'https://www.youtube.com/watch?v=short',
  'https://www.youtube.com/@channel',
  'https://vimeo.com/about',
  'https://soundcloud.com/forss',
  'https://soundcloud.com/forss/tracks',
  'https://soundcloud.com/discover/sets',
  'https://open.spotify.com/user/someone',
  'https://example.com/watch?v=dQw4w9WgXcQ',
  'https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ',
  'https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ',
  'javascript:alert(1)//youtu.be/dQw4w9WgXcQ',
  'ftp://youtu.be/dQw4w9WgXcQ',
];

describe('embeds', () => {
  const markdown = createMarkdownRenderer();

  it('knows each link form of each player and gives its privacy-enhanced player address', () => {
    for (const [url, provider, src] of FORMS) {
      const embed = recognizeEmbed(url);
      assert.equal(embed?.provider, provider, url);
      assert.equal(embed?.src, src, url);
    }
  });

  it('takes no other address for a player', () => {
    for (const url of NOT_PLAYERS) assert.equal(recognizeEmbed(url), undefined, url);
  });

  it('allows every player address it makes in the frame-src of the Content-Security-Policy', () => {
    for (const [url] of FORMS) assert.ok(EMBED_FRAME_ORIGINS.includes(new URL(recognizeEmbed(url)!.src).origin), url);
  });

  it('turns a paragraph that is only a player link into a click-to-load placeholder holding a plain link', () => {
    for (const [url, provider, src] of FORMS.filter(([u]) => u.startsWith('https:'))) {
      const html = markdown.post(`Before.\n\n${url}\n\nAfter.`);
      const figure = elementsOf(html).find((e) => e.name === 'figure');
      assert.equal(figure?.attribs.class, 'embed', url);
      assert.equal(figure?.attribs['data-embed-provider'], provider, url);
      assert.equal(figure?.attribs['data-embed-src'], src, url);
      const link = elementsOf(html).find((e) => e.name === 'a');
      assert.equal(link?.attribs.href, recognizeEmbed(url)?.href, url);
    }
  });

  it('also makes the placeholder from a <https://...> autolink', () => {
    assert.match(markdown.post(`<https://youtu.be/${YT}>`), /^<figure class="embed" data-embed-provider="youtube"/);
  });

  it('keeps a player link a link when the author worded it, it sits in a sentence or a list, or the host is not a player', () => {
    for (const md of [
      `[the talk](https://youtu.be/${YT})`,
      `Watch https://youtu.be/${YT} tonight.`,
      `- https://youtu.be/${YT}`,
      'https://example.com/video',
    ]) {
      const html = markdown.post(md);
      assert.ok(!html.includes('<figure'), md);
      assert.ok(
        elementsOf(html).some((e) => e.name === 'a'),
        md,
      );
    }
  });

  it('makes no third-party request from the page: no src, srcset or poster, no image or frame, in a placeholder', () => {
    for (const [url] of FORMS.filter(([u]) => u.startsWith('https:'))) {
      for (const element of elementsOf(markdown.post(url))) {
        assert.ok(!['img', 'iframe', 'video', 'audio', 'source', 'picture'].includes(element.name), `${url}: <${element.name}>`);
        for (const attr of ['src', 'srcset', 'poster', 'style']) assert.equal(element.attribs[attr], undefined, `${url}: ${attr}`);
      }
    }
  });

  it('turns a pasted player <iframe> (or old <embed>) into the same placeholder, dropping its fallback content', () => {
    const pasted = `<iframe width="560" height="315" src="https://www.youtube.com/embed/${YT}?si=x" title="YouTube video player" allowfullscreen>Your browser <b>cannot</b></iframe>`;
    const expected = markdown.post(`https://www.youtube.com/watch?v=${YT}`);
    assert.equal(markdown.post(pasted).trim(), expected.trim());
    assert.equal(sanitizeAuthorHtml(pasted), expected.trim());
    assert.equal(sanitizeAuthorHtml(`<embed src="https://www.youtube.com/v/${YT}">`), expected.trim());
  });

  it('keeps the text after a player frame, in the same paragraph and beyond', () => {
    const html = sanitizeAuthorHtml(`<p>one <iframe src="https://player.vimeo.com/video/76979871"></iframe> two</p><p>three</p>`);
    // A figure cannot sit in a paragraph: it ends the paragraph, as it does in a browser.
    assert.match(
      html,
      /^<p>one <\/p><figure class="embed" data-embed-provider="vimeo"[^>]*><a href="https:\/\/vimeo.com\/76979871">Watch on Vimeo<\/a><\/figure> two<p><\/p><p>three<\/p>$/,
    );
  });

  it('drops a frame of any other host with its content', () => {
    assert.equal(sanitizeAuthorHtml('<p>a<iframe src="https://evil.example/"><b>fallback</b></iframe>b</p>'), '<p>ab</p>');
  });

  it('rebuilds a placeholder written by hand from its player address, and unmakes one that names an unknown player', () => {
    assert.equal(
      sanitizeAuthorHtml(
        '<figure class="embed extra" data-embed-provider="vimeo" data-embed-src="https://www.youtube.com/embed/dQw4w9WgXcQ">x</figure>',
      ),
      `<figure class="embed" data-embed-provider="youtube" data-embed-src="https://www.youtube-nocookie.com/embed/${YT}">x</figure>`,
    );
    assert.equal(
      sanitizeAuthorHtml('<figure class="embed" data-embed-provider="youtube" data-embed-src="https://evil.example/embed/x">x</figure>'),
      '<figure>x</figure>',
    );
  });
});
