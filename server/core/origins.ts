/**
 * Whether a browser Origin may talk to Quad with the user's cookies: same origin as the
 * request's Host, or listed in CORS_ORIGINS. Requests without an Origin (curl, native apps,
 * Node clients) carry no ambient browser credentials and are allowed.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: string[],
): boolean {
  if (!origin) return true;
  if (allowed.includes(origin) || allowed.includes('*')) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
