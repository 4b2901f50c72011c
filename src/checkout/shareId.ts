/**
 * Graph addresses a sharing link by a shareId: `u!` + the URL in unpadded base64url.
 * Every `+` and `/` must be replaced and every `=` stripped; a single-occurrence replace
 * breaks only for some URLs, which is why it goes unnoticed.
 */
export function shareIdFromUrl(sharingUrl: string): string {
  return 'u!' + Buffer.from(sharingUrl, 'utf8').toString('base64url');
}

/** A sharing URL worth encoding: absolute https with a host, no credentials, bounded length. */
export function sharingUrlProblem(value: string): string | undefined {
  if (value.length > 2048) return 'must be at most 2048 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://contoso.sharepoint.com/:w:/s/team/EaBc...';
  }
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (/[\u0000-\u001f\u007f\s]/.test(value)) return 'must not contain spaces or control characters';
  return undefined;
}
