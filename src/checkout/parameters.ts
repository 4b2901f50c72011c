/**
 * The kinds of value a Graph route parameter may hold, each with the strict character set it
 * is checked against before it becomes a path segment. The sets are deliberately narrower than
 * "anything Graph might accept": a value that fits is sent as exactly one encoded segment, and
 * none of them can spell `.`/`..`, a slash, a query or a fragment.
 */

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = `${HOST_LABEL}(?:\\.${HOST_LABEL})+`;

export const SPECIAL_FOLDERS = ['documents', 'photos', 'cameraroll', 'approot', 'music', 'recordings'] as const;
export type SpecialFolder = (typeof SPECIAL_FOLDERS)[number];

export type ParameterKind = 'driveId' | 'itemId' | 'siteId' | 'groupId' | 'userId' | 'shareId' | 'specialFolder';

interface ParameterRule {
  pattern: RegExp;
  /** Shown to the user when a value does not fit, so they can fix the request. */
  expected: string;
}

export const PARAMETER_RULES: Readonly<Record<ParameterKind, ParameterRule>> = {
  // SharePoint drive ids are `b!` + base64url; OneDrive personal ids are hex.
  driveId: { pattern: /^[A-Za-z0-9!_-]{1,256}$/, expected: 'a drive id such as b!Xy9... (letters, digits, !, _ and -)' },
  // SharePoint item ids are upper-case base32; OneDrive personal ids look like HEX!123.
  itemId: { pattern: /^[A-Za-z0-9!_-]{1,256}$/, expected: 'an item id such as 01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K (letters, digits, !, _ and -)' },
  siteId: {
    pattern: new RegExp(`^(?:root|${HOSTNAME}(?:,${GUID},${GUID})?|${GUID}(?:,${GUID})?)$`),
    expected: 'a site id such as contoso.sharepoint.com,{site-collection-guid},{web-guid}, a GUID, or root',
  },
  groupId: { pattern: new RegExp(`^${GUID}$`), expected: 'a group id (GUID)' },
  userId: {
    pattern: new RegExp(`^(?:${GUID}|[A-Za-z0-9._'+#-]{1,113}@${HOSTNAME})$`),
    expected: 'a user id (GUID) or user principal name such as adele@contoso.com',
  },
  shareId: { pattern: /^[us]![A-Za-z0-9_-]{1,2800}$/, expected: 'a share id such as u!aHR0cHM6... (u! or s! followed by base64url)' },
  specialFolder: {
    pattern: new RegExp(`^(?:${SPECIAL_FOLDERS.join('|')})$`),
    expected: `one of ${SPECIAL_FOLDERS.join(', ')}`,
  },
};

export function isValidParameter(kind: ParameterKind, value: string): boolean {
  return PARAMETER_RULES[kind].pattern.test(value);
}
