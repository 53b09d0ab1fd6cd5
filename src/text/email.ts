// How long an email address may be: 254 characters, the most a mail server will route (RFC 5321's
// 256-octet path, less its angle brackets). Checked before any pattern, so no pattern ever runs
// over kilobytes of hostile text.
export const MAX_EMAIL_LENGTH = 254;

export const EMAIL_TOO_LONG = `An email address has at most ${MAX_EMAIL_LENGTH} characters.`;
