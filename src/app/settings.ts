import { loadConfig, type AppConfig } from '../config';

/**
 * The app's settings, read once when the app loads: a bad one stops start-up with its name.
 * Kept apart from the runtime so that registering the functions needs nothing else.
 */
export const config: AppConfig = loadConfig();
