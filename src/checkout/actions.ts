/** The driveItem actions this app calls. Graph answers each with 204 No Content. */
export const ACTIONS = ['checkout', 'checkin', 'discardCheckout'] as const;
export type Action = (typeof ACTIONS)[number];
