import type { GraphError } from './graphErrors';
import type { GraphAction } from './graphPaths';

/** Who the emulator believes the calling app is; every token here is the app's own. */
export const APP_PRINCIPAL = 'app';

export interface GraphItemInit {
  /** A personal OneDrive item: Graph has no checkout API there. */
  personal?: boolean;
  /** Already checked out by this principal (use anything but 'app' for another user). */
  checkedOutBy?: string;
  denied?: boolean;
  locked?: boolean;
}

export interface CheckinRecord {
  comment?: string;
  checkInAs?: string;
}

/** Live, mutable state: tests may flip flags between calls. */
export interface GraphItemState {
  personal: boolean;
  denied: boolean;
  locked: boolean;
  checkedOutBy?: string;
  checkins: CheckinRecord[];
  checkouts: number;
  discards: number;
}

export type ActionOutcome = { status: 204 } | GraphError;

export function newItemState(init: GraphItemInit = {}): GraphItemState {
  return {
    personal: init.personal ?? false,
    denied: init.denied ?? false,
    locked: init.locked ?? false,
    ...(init.checkedOutBy !== undefined ? { checkedOutBy: init.checkedOutBy } : {}),
    checkins: [],
    checkouts: 0,
    discards: 0,
  };
}

const NOT_FOUND: GraphError = { status: 404, code: 'itemNotFound', message: 'The resource could not be found.' };
const DENIED: GraphError = { status: 403, code: 'accessDenied', message: 'Access denied' };
const LOCKED: GraphError = {
  status: 423,
  code: 'resourceLocked',
  message: 'The resource you are attempting to access is locked',
};
const PERSONAL: GraphError = { status: 400, code: 'invalidRequest', message: 'API not found' };
const NOT_CHECKED_OUT: GraphError = { status: 400, code: 'invalidRequest', message: 'The file is not checked out.' };
/** What SharePoint leaks through Graph when someone else holds the checkout. */
const HELD_BY_OTHER_ON_CHECKOUT: GraphError = {
  status: 500,
  code: '-1, Microsoft.SharePoint.Client.UnknownError',
  message: 'Unknown Error',
};
const BAD_JSON: GraphError = {
  status: 400,
  code: 'BadRequest',
  message:
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
};

/** Graph deserialises the payload before it looks the item up, so a bad body wins. */
function parseCheckinBody(body: string): CheckinRecord | GraphError {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return BAD_JSON;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return BAD_JSON;
  const record: CheckinRecord = {};
  const { comment, checkInAs } = parsed as Record<string, unknown>;
  if (typeof comment === 'string') record.comment = comment;
  if (typeof checkInAs === 'string') record.checkInAs = checkInAs;
  return record;
}

/** Applies one driveItem action to the item's state, mutating it only on success. */
export function applyAction(item: GraphItemState | undefined, action: GraphAction, body: string): ActionOutcome {
  const checkin = action === 'checkin' ? parseCheckinBody(body) : undefined;
  if (checkin && 'status' in checkin) return checkin;
  if (!item) return NOT_FOUND;
  if (item.denied) return DENIED;
  if (item.locked) return LOCKED;
  if (item.personal) return PERSONAL;

  const holder = item.checkedOutBy;
  if (action === 'checkout') {
    if (holder !== undefined && holder !== APP_PRINCIPAL) return HELD_BY_OTHER_ON_CHECKOUT;
    item.checkedOutBy = APP_PRINCIPAL;
    item.checkouts++;
    return { status: 204 };
  }
  if (holder === undefined) return NOT_CHECKED_OUT;
  if (holder !== APP_PRINCIPAL) return LOCKED;
  delete item.checkedOutBy;
  if (checkin) item.checkins.push(checkin);
  else item.discards++;
  return { status: 204 };
}
