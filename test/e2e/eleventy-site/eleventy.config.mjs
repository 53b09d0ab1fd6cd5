// A small Eleventy site whose posts carry Hearth conversations: at build time each page's thread
// is fetched from Hearth (the build-time include), so the comments are in the built HTML; the
// embed script then makes it live. HEARTH_URL and SITE_URL name the two origins.
export default function (eleventyConfig) {
  const hearth = process.env.HEARTH_URL;
  eleventyConfig.addGlobalData('hearth', hearth);
  eleventyConfig.addGlobalData('siteUrl', process.env.SITE_URL);
  eleventyConfig.addAsyncShortcode('hearthComments', async (pageUrl) => {
    const res = await fetch(`${hearth}/embed/thread?url=${encodeURIComponent(pageUrl)}`);
    return res.ok ? res.text() : `<p><a href="${hearth}/embed/page?url=${encodeURIComponent(pageUrl)}">Comments</a></p>`;
  });
}
